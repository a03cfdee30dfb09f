//! The physical limit of the app's start and memory: a window on the same Tauri and WebKitGTK,
//! with the app's choice of renderer, and none of the app's own work. With no argument it paints
//! only the blue that `scripts/footprint.py` waits for; given a folder (`ui/dist`) it serves the
//! files there, i.e. the app's UI without the app's Rust side (no store, keys, sync or commands:
//! the UI's calls fail and it shows its first screen all the same). Measured with
//! `cargo build --release --example empty_window` then
//! `scripts/footprint.py target/release/cqc-desktop "target/release/examples/empty_window ui/dist"
//! target/release/examples/empty_window`.

use std::path::PathBuf;

/// The mark at the top, where the app's header paints it, and a block below, where its first
/// screen's title and button paint.
const PAGE: &str =
    "<!doctype html><body style='margin:0'><div style='background:#000091;width:120px;height:40px'></div>\
    <div style='background:#000091;width:120px;height:40px;margin-top:100px'></div>";

fn served(folder: Option<&PathBuf>, path: &str) -> (Vec<u8>, &'static str) {
    let Some(folder) = folder else { return (PAGE.as_bytes().to_vec(), "text/html") };
    let path = match path.trim_start_matches('/') {
        "" => "index.html",
        file => file,
    };
    let kind = match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    (std::fs::read(folder.join(path)).unwrap_or_default(), kind)
}

fn main() {
    cqc_desktop::choose_renderer();
    let folder = std::env::args_os().nth(1).map(PathBuf::from);
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("floor", move |_, request| {
            let (body, kind) = served(folder.as_ref(), request.uri().path());
            tauri::http::Response::builder().header("Content-Type", kind).body(body).unwrap()
        })
        .setup(|app| {
            let url = tauri::WebviewUrl::CustomProtocol("floor://localhost/".parse()?);
            tauri::WebviewWindowBuilder::new(app, "floor", url).title("CQC").inner_size(1100.0, 820.0).build()?;
            Ok(())
        })
        .run(context)
        .expect("the empty window runs");
}
