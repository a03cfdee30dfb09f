//! `cqc-server serve` runs the central service; `cqc-server create-agent` adds a processing agent.

use clap::{Parser, Subcommand};
use cqc_server::clock::SystemClock;
use cqc_server::{admin, db::Db, prepare, serve, Config};
use std::io::Read;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "cqc-server", about = "Le service central de la carte de qualification de conducteur")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the API and the email delivery.
    Serve {
        #[arg(long, env = "CQC_BIND", default_value = "127.0.0.1:8737")]
        bind: String,
    },
    /// Creates a processing agent; the password is read from standard input.
    CreateAgent {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Approves a training centre.
    CreateCentre {
        #[arg(long)]
        name: String,
        /// The centre's approval number (numéro d'agrément).
        #[arg(long)]
        approval: String,
        #[arg(long)]
        address: String,
    },
    /// Creates a staff account of an approved centre; the password is read from standard input.
    CreateCentreStaff {
        /// The centre's approval number.
        #[arg(long)]
        centre: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cqc-server : {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::Serve { bind } => {
            tracing::info!(config = ?cli.config, %bind, "starting");
            let state = prepare(&cli.config, Arc::new(SystemClock)).await?;
            let listener = tokio::net::TcpListener::bind(&bind).await?;
            tracing::info!("listening on http://{}", listener.local_addr()?);
            serve(listener, state, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        }
        Command::CreateAgent { email, name } => {
            let db = open_database(&cli.config).await?;
            let id = admin::create_agent(&db, &SystemClock, &email, &name, &read_password()?).await?;
            println!("Agent créé : {email} ({id})");
        }
        Command::CreateCentre { name, approval, address } => {
            let db = open_database(&cli.config).await?;
            let id = admin::create_centre(&db, &SystemClock, &name, &approval, &address).await?;
            println!("Centre agréé : {name} ({id})");
        }
        Command::CreateCentreStaff { centre, email, name } => {
            let db = open_database(&cli.config).await?;
            let id = admin::create_centre_staff(&db, &SystemClock, &centre, &email, &name, &read_password()?).await?;
            println!("Compte du centre créé : {email} ({id})");
        }
    }
    Ok(())
}

async fn open_database(config: &Config) -> Result<Db, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.data_dir)?;
    Ok(Db::connect(&config.database_url()).await?)
}

fn read_password() -> std::io::Result<String> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    Ok(password.trim_end_matches(['\r', '\n']).to_owned())
}
