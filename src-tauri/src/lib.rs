//! The desktop shell: sets up the local store and the API client, and exposes the commands the
//! UI calls. Commands are thin adapters: the app's logic is in `cqc-app`, the rules in
//! `cqc-domain`, the data in `cqc-store`, the network in `cqc-client`.
#![forbid(unsafe_code)]

mod admin;
mod applications;
mod camera;
mod commands;
mod events;
#[cfg(test)]
mod ipc_contract;
mod links;
mod rendering;
mod replacements;
mod trainings;
mod updates;

use std::path::PathBuf;
use tauri::Manager;

include!("command_list.rs");

macro_rules! handlers {
    ($($module:ident :: $command:ident),* $(,)?) => {
        tauri::generate_handler![$($module::$command),*]
    };
}

/// WebKitGTK's renderer as the app picks it, for `examples/empty_window.rs` to measure the same.
pub use rendering::choose as choose_renderer;

/// The central server the app talks to; `CQC_SERVER_URL` points it elsewhere.
pub const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8737";

pub fn run() {
    rendering::choose();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .init();
    #[cfg(target_os = "linux")]
    wait_for_display();
    tauri::Builder::default()
        // First: a second launch (a `cqc://` link opened while the app runs) hands its link over
        // and exits before anything else starts.
        .plugin(
            tauri_plugin_single_instance::Builder::new().dbus_id(links::single_instance_id("fr.cqc.desktop")).build(),
        )
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let folders = cqc_app::folders::Folders::choose(
                &app.config().identifier,
                std::env::var_os("CQC_DATA_DIR").map(PathBuf::from),
                std::env::var_os("CQC_DOWNLOAD_DIR").map(PathBuf::from),
            )?;
            let server_url = std::env::var("CQC_SERVER_URL").unwrap_or_else(|_| DEFAULT_SERVER_URL.to_owned());
            let vault = cqc_app::keys::vault_at_start(&folders.data);
            app.manage(cqc_app::AppCore::open(&folders.data, &server_url, folders.downloads, vault)?);
            app.manage(camera::CameraService::start());
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                camera::allow_web_view_camera(&window)?;
            }
            links::listen(app.handle());
            updates::register(app.handle())?;
            tauri::async_runtime::spawn(trainings::sync_in_background(app.handle().clone()));
            Ok(())
        })
        .invoke_handler(with_commands!(handlers))
        .run(tauri::generate_context!())
        .expect("the desktop app runs");
}

/// Opens the display, waiting for it a few seconds: the app restarted after an update starts as
/// the previous version closes its windows, and an X server whose last client just left may be
/// resetting (Xvfb does, without `-noreset`): GTK then failed at once and the person was left
/// with no app. If the display stays out of reach, the reason is said, not a panic in GTK.
#[cfg(target_os = "linux")]
fn wait_for_display() {
    const TRIES: u32 = 25;
    for _ in 0..TRIES {
        match gtk::init() {
            Ok(()) => return,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
        }
    }
    let screen = std::env::var("DISPLAY").or_else(|_| std::env::var("WAYLAND_DISPLAY")).unwrap_or_default();
    tracing::error!(screen, "the display cannot be opened: CQC needs a graphical session");
    std::process::exit(1);
}

#[cfg(test)]
mod tests {
    macro_rules! command_names {
        ($($module:ident :: $command:ident),* $(,)?) => {
            [$((stringify!($module), stringify!($command))),*]
        };
    }

    /// The commands' TypeScript contract is written from their Rust signatures
    /// (`ui/src/bindings/Commands.ts`; the test command fails if it differs from the one committed).
    #[test]
    fn the_typescript_contract_is_written_from_the_commands_signatures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bindings = root.join("ui/src/bindings");
        let contract = crate::ipc_contract::typescript(
            &with_commands!(command_names),
            &crate::events::contract(),
            &root.join("src-tauri/src"),
            &bindings,
        )
        .unwrap_or_else(|problem| panic!("{problem}"));
        let path = bindings.join("Commands.ts");
        if std::fs::read_to_string(&path).ok().as_deref() != Some(contract.as_str()) {
            std::fs::write(&path, contract).unwrap();
        }
    }

    /// A registered command the UI never calls is dead; one it calls that is not registered no
    /// longer type-checks (the contract above).
    #[test]
    fn the_ui_calls_every_registered_command() {
        let api = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/api.ts")).unwrap();
        let uncalled: Vec<&str> = with_commands!(command_names)
            .iter()
            .map(|(_, command)| *command)
            .filter(|command| !api.contains(&format!("call(\"{command}\"")))
            .collect();
        assert!(uncalled.is_empty(), "registered, never called: {uncalled:?}");
    }
}
