//! The physical limit of the app's start and memory: an empty window on the same Tauri and
//! WebKitGTK, painting only the blue that `scripts/footprint.py` waits for. Measured with
//! `cargo build --release --example empty_window` then
//! `WEBKIT_DISABLE_DMABUF_RENDERER=1 scripts/footprint.py target/release/examples/empty_window`
//! (the renderer the app itself picks on a computer without a GPU).

/// The mark at the top, where the app's header paints it, and a block below, where its first
/// screen's title and button paint.
const PAGE: &str =
    "<!doctype html><body style='margin:0'><div style='background:#000091;width:120px;height:40px'></div>\
    <div style='background:#000091;width:120px;height:40px;margin-top:100px'></div>";

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("floor", |_, _| {
            tauri::http::Response::builder().header("Content-Type", "text/html").body(PAGE.as_bytes().to_vec()).unwrap()
        })
        .setup(|app| {
            let url = tauri::WebviewUrl::CustomProtocol("floor://localhost/".parse()?);
            tauri::WebviewWindowBuilder::new(app, "floor", url).title("CQC").inner_size(1100.0, 820.0).build()?;
            Ok(())
        })
        .run(context)
        .expect("the empty window runs");
}
