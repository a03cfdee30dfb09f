//! `cqc-server serve` runs the central service; `cqc-server create-agent` adds a processing agent;
//! `cqc-server backup` and `restore` keep and put back the one-machine set-up's data.

use clap::{Parser, Subcommand};
use cqc_server::clock::SystemClock;
use cqc_server::{admin, backup, db::Db, prepare, releases, serve, Config};
use std::io::Read;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

/// jemalloc rather than the system's allocator: with 50 uploaded scans checked at once, glibc kept
/// the checks' freed buffers in its per-thread arenas (peak 271 MiB, 216 MiB still held after the
/// load; with jemalloc 229–231 and 143–146, `cargo bench -p cqc-server --bench load`).
/// jemalloc does not build for Windows, where the system's allocator stays.
#[cfg(not(windows))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(name = "cqc-server", about = "Le service central de la carte de qualification de conducteur")]
struct Cli {
    #[command(flatten)]
    config: Config,
    /// `json`: one JSON object per line, with the request's id (for a log collector); `text`
    /// for a person. By default JSON, unless the output is a terminal.
    #[arg(long, env = "CQC_LOG_FORMAT", value_enum, global = true)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Json,
    Text,
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
    /// Creates an administrator (the first one: the next are created in the app); the password is
    /// read from standard input.
    CreateAdmin {
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
    /// Copies the database (a consistent snapshot, while the server runs), the documents and the
    /// certificate signing key into a new folder.
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Publishes a version of the desktop app for its updater: the package the release build made,
    /// with its signature beside it (`<package>.sig`). Once per kind of package; again to replace.
    PublishUpdate {
        /// The version the package carries (`1.4.2`).
        #[arg(long)]
        version: String,
        /// The kind of package: linux-x86_64-deb, linux-x86_64-rpm, linux-x86_64-appimage,
        /// windows-x86_64-nsis, windows-x86_64-msi, darwin-aarch64-app, darwin-x86_64-app.
        #[arg(long)]
        target: String,
        #[arg(long)]
        package: std::path::PathBuf,
        /// A text file with the notes shown in the app, in French.
        #[arg(long)]
        notes: std::path::PathBuf,
    },
    /// Puts a backup back in place, the server being stopped; the data it replaces is moved aside.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    match cli.log_format.unwrap_or(if terminal { LogFormat::Text } else { LogFormat::Json }) {
        LogFormat::Json => tracing_subscriber::fmt().json().with_current_span(true).with_env_filter(filter).init(),
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
    }
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
            if let Some(metrics_bind) = &cli.config.metrics_bind {
                let metrics = tokio::net::TcpListener::bind(metrics_bind).await?;
                tracing::info!("metrics on http://{}/metrics", metrics.local_addr()?);
                tokio::spawn(cqc_server::serve_metrics(metrics, state.clone()));
            }
            serve(listener, state, stop_asked()).await?;
        }
        Command::CreateAgent { email, name } => {
            let db = open_database(&cli.config).await?;
            let id = admin::create_agent(&db, &SystemClock, &email, &name, &read_password()?).await?;
            println!("Agent créé : {email} ({id})");
        }
        Command::CreateAdmin { email, name } => {
            let db = open_database(&cli.config).await?;
            let id = admin::create_admin(&db, &SystemClock, &email, &name, &read_password()?).await?;
            println!("Administrateur créé : {email} ({id})");
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
        Command::PublishUpdate { version, target, package, notes } => {
            let release_key = cli.config.updater_pubkey.as_deref().ok_or(
                "CQC_UPDATER_PUBKEY manquante : la clé publique de publication que porte l'application (le fichier .pub de `tauri signer generate`)",
            )?;
            let release_key = releases::ReleaseKey::parse(release_key)?;
            let db = open_database(&cli.config).await?;
            let signature_file = format!("{}.sig", package.display());
            let signature = std::fs::read_to_string(&signature_file)
                .map_err(|e| format!("signature {signature_file} illisible : {e}"))?;
            let bytes = std::fs::read(&package).map_err(|e| format!("paquet {} illisible : {e}", package.display()))?;
            let notes =
                std::fs::read_to_string(&notes).map_err(|e| format!("notes {} illisibles : {e}", notes.display()))?;
            let package = releases::Package { target: &target, bytes, signature: &signature };
            let version =
                releases::publish(&db, &cli.config.documents()?, &SystemClock, &release_key, &version, &notes, package)
                    .await?;
            println!("Version {version} publiée pour {target}");
        }
        Command::Backup { to } => {
            let backed = backup::backup(&cli.config, &to).await?;
            println!(
                "Sauvegarde faite dans {} : base de {} Ko, {} documents",
                to.display(),
                backed.database_bytes / 1024,
                backed.documents
            );
        }
        Command::Restore { from } => {
            let aside = backup::restore(&cli.config, &from).await?;
            println!(
                "Sauvegarde {} remise en place ; les données remplacées sont dans {}",
                from.display(),
                aside.display()
            );
        }
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM from systemd, a container runtime or an orchestrator.
async fn stop_asked() {
    #[cfg(unix)]
    {
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("the SIGTERM handler installs");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("stopping: requests in flight finish, claimed work is given back");
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
