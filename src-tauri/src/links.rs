//! Emailed links that open the app: `cqc://mot-de-passe?jeton=…` starts it on the right screen,
//! or, when it runs already, the second launch hands the link to it (single instance) and exits.

use crate::commands::{resolve_link, OpenedLink};
use cqc_app::{AppCore, CommandResult};
use std::sync::Mutex;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_deep_link::DeepLinkExt;

/// The link the app was opened with, until the screen takes it.
#[derive(Default)]
pub struct OpenedLinks(Mutex<Option<String>>);

impl OpenedLinks {
    fn keep(&self, url: String) {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(url);
    }

    fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()
    }
}

/// The link of this launch, and those handed over later: kept, the screen told, the window raised.
pub fn listen(app: &AppHandle) {
    app.manage(OpenedLinks::default());
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        if let Some(url) = urls.last() {
            app.state::<OpenedLinks>().keep(url.to_string());
        }
    }
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        let Some(url) = event.urls().last().map(|url| url.to_string()) else { return };
        tracing::info!(scheme = %url.split(':').next().unwrap_or_default(), "link opened from outside");
        handle.state::<OpenedLinks>().keep(url);
        crate::events::emit::<crate::events::LinkOpened>(&handle, ());
        if let Some(window) = handle.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.set_focus();
        }
    });
}

/// The D-Bus name that makes the app single: one per data folder, so that a second installation
/// for tests (`CQC_DATA_DIR`) is its own app.
pub fn single_instance_id(identifier: &str) -> String {
    match std::env::var_os("CQC_DATA_DIR") {
        None => identifier.to_owned(),
        Some(dir) => {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            dir.hash(&mut hasher);
            format!("{identifier}.Dossier_{:x}", hasher.finish())
        }
    }
}

/// The link the app was opened with, resolved (what it is for, whose), once.
#[tauri::command]
pub async fn take_opened_link(
    core: State<'_, AppCore>,
    links: State<'_, OpenedLinks>,
) -> CommandResult<Option<OpenedLink>> {
    match links.take() {
        Some(url) => {
            tracing::info!("opened link taken by the screen");
            resolve_link(&core, &url).await.map(Some)
        }
        None => Ok(None),
    }
}
