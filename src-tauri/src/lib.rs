//! The desktop shell: sets up the local store and the API client, and exposes the commands the
//! UI calls. Commands are thin: the rules are in `cqc-domain`, the data in `cqc-store`, the
//! network in `cqc-sync`.
#![forbid(unsafe_code)]

mod applications;
mod camera;
mod commands;
mod core;
mod replacements;
mod trainings;

use std::path::PathBuf;
use tauri::Manager;

/// The central server the app talks to; `CQC_SERVER_URL` points it elsewhere.
pub const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8737";

pub fn run() {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new("info")).init();
    tauri::Builder::default()
        .setup(|app| {
            let data_dir = match std::env::var_os("CQC_DATA_DIR") {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            let server_url = std::env::var("CQC_SERVER_URL").unwrap_or_else(|_| DEFAULT_SERVER_URL.to_owned());
            let download_dir = match std::env::var_os("CQC_DOWNLOAD_DIR") {
                Some(dir) => PathBuf::from(dir),
                None => app.path().download_dir().or_else(|_| app.path().home_dir())?,
            };
            app.manage(core::AppCore::open(&data_dir, &server_url, download_dir)?);
            app.manage(camera::CameraDesk::start());
            tauri::async_runtime::spawn(trainings::sync_in_background(app.handle().clone()));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::check_licence,
            commands::check_password,
            commands::register,
            commands::open_link,
            commands::set_password,
            commands::forgot_password,
            commands::login,
            commands::logout,
            commands::notifications,
            commands::load_correction,
            commands::submit_correction,
            commands::agent_queue,
            commands::agent_identity_checks,
            commands::agent_decide_identity_check,
            commands::agent_file,
            commands::agent_accept,
            commands::agent_request_correction,
            commands::save_draft,
            commands::load_draft,
            commands::clear_draft,
            trainings::check_training,
            trainings::record_training,
            trainings::import_trainings_csv,
            trainings::centre_trainings,
            trainings::sync_now,
            trainings::my_recaps,
            trainings::my_certificates,
            trainings::save_recap_pdf,
            trainings::save_certificate_pdf,
            trainings::verify_certificate,
            applications::applications_overview,
            applications::start_application,
            applications::application_draft,
            applications::add_document,
            applications::cameras,
            applications::camera_preview,
            applications::stop_camera,
            applications::capture_photo,
            applications::save_signature,
            applications::check_address,
            applications::set_delivery_address,
            applications::submit_application,
            applications::answer_correction,
            applications::cancel_application,
            applications::my_cards,
            applications::card_photo,
            applications::activate_card,
            applications::sms_outbox,
            applications::agent_applications,
            applications::agent_open_application,
            applications::agent_application_document,
            applications::agent_approve,
            applications::agent_refuse,
            applications::agent_request_application_correction,
            applications::agent_cards,
            applications::agent_card_step,
            replacements::my_replacements,
            replacements::start_replacement,
            replacements::replacement,
            replacements::declare_replacement,
            replacements::set_replacement_address,
            replacements::add_theft_declaration,
            replacements::submit_replacement,
            replacements::cancel_replacement,
            replacements::save_return_coupon,
            replacements::fix_replacement,
            replacements::fees,
            replacements::check_bank_card,
            replacements::pay,
            replacements::answer_challenge,
            replacements::abandon_challenge,
            replacements::my_invoices,
            replacements::save_invoice,
            replacements::answer_returned_card,
            replacements::agent_replacements,
            replacements::agent_theft_declaration,
            replacements::agent_card_received,
            replacements::agent_record_analysis,
        ])
        .run(tauri::generate_context!())
        .expect("the desktop app runs");
}
