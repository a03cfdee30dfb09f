/// The commands the UI may call; each gets an `allow-…` permission that `tauri.conf.json` grants.
const COMMANDS: &[&str] = &[
    "app_status",
    "check_licence",
    "check_password",
    "register",
    "open_link",
    "set_password",
    "forgot_password",
    "login",
    "logout",
    "notifications",
    "load_correction",
    "submit_correction",
    "agent_queue",
    "agent_file",
    "agent_accept",
    "agent_request_correction",
    "save_draft",
    "load_draft",
    "clear_draft",
    "check_training",
    "record_training",
    "import_trainings_csv",
    "centre_trainings",
    "sync_now",
    "my_recaps",
    "my_certificates",
    "save_recap_pdf",
    "save_certificate_pdf",
    "verify_certificate",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri configuration and capabilities are valid");
}
