//! How WebKitGTK draws the window on Linux. Its DMA-BUF renderer (the default since 2.42) is
//! made for a GPU; on a computer that renders in software (no `/dev/dri/renderD*` node: virtual
//! machines, remote desktops, old office computers) it brings nothing and costs about 80 MiB and
//! 0.2 s at every start (measured with `scripts/footprint.py`). There the app uses WebKit's other
//! renderer, as a user would with `WEBKIT_DISABLE_DMABUF_RENDERER=1`.

#[cfg(target_os = "linux")]
const SETTING: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Whether to turn the DMA-BUF renderer off: only when the computer has no GPU render node, the
/// user set nothing themselves (their choice wins, `0` included), and no WebDriver drives the app
/// (WebKitWebDriver stops answering under Xvfb with that renderer off: the end-to-end tests keep
/// WebKit's default).
#[cfg(any(target_os = "linux", test))]
pub fn dmabuf_off(user_setting: Option<&str>, has_render_node: bool, automated: bool) -> bool {
    user_setting.is_none() && !has_render_node && !automated
}

/// Applies the choice; called first thing, before any thread or WebKit process starts.
#[cfg(target_os = "linux")]
pub fn choose() {
    let has_render_node = std::fs::read_dir("/dev/dri")
        .map(|nodes| nodes.flatten().any(|n| n.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false);
    let user = std::env::var(SETTING).ok();
    let automated = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
    if dmabuf_off(user.as_deref(), has_render_node, automated) {
        // Single-threaded still: nothing else reads the environment meanwhile.
        std::env::set_var(SETTING, "1");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn choose() {}

#[cfg(test)]
mod tests {
    use super::dmabuf_off;

    #[test]
    fn a_computer_without_a_gpu_uses_the_lighter_renderer_unless_the_user_or_a_test_says_otherwise() {
        assert!(dmabuf_off(None, false, false));
        assert!(!dmabuf_off(None, true, false), "a GPU keeps WebKit's default");
        assert!(!dmabuf_off(Some("0"), false, false), "the user's choice wins");
        assert!(!dmabuf_off(None, false, true), "WebDriver keeps WebKit's default");
    }
}
