//! Permissions and the main window's capability, both from the one command list.

include!("src/command_list.rs");

macro_rules! command_names {
    ($($module:ident :: $command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

/// The commands the UI may call; each gets an `allow-…` permission.
const COMMANDS: &[&str] = with_commands!(command_names);

/// The main window may call the app's own commands and listen to its events, nothing else.
fn main_window_capability() -> String {
    let permissions: Vec<String> = std::iter::once("core:event:default".to_owned())
        .chain(COMMANDS.iter().map(|command| format!("allow-{}", command.replace('_', "-"))))
        .collect();
    let capability = serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "main-window",
        "description": "The app's screens call only the app's own commands. Written by src-tauri/build.rs from src-tauri/src/command_list.rs.",
        "windows": ["main"],
        "permissions": permissions,
    });
    serde_json::to_string_pretty(&capability).expect("plain JSON") + "\n"
}

fn main() {
    let path = std::path::Path::new("capabilities/main-window.json");
    let capability = main_window_capability();
    if std::fs::read_to_string(path).ok().as_deref() != Some(capability.as_str()) {
        std::fs::create_dir_all("capabilities").expect("src-tauri is writable");
        std::fs::write(path, capability).expect("src-tauri is writable");
    }
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri configuration and capabilities are valid");
}
