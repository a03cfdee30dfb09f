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
            std::fs::create_dir_all(&cli.config.data_dir)?;
            let db = Db::connect(&cli.config.database_url()).await?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let id =
                admin::create_agent(&db, &SystemClock, &email, &name, password.trim_end_matches(['\r', '\n'])).await?;
            println!("Agent créé : {email} ({id})");
        }
    }
    Ok(())
}
