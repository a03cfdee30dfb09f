import { defineConfig } from "vite";

export default defineConfig({
  // Tauri serves the files itself: relative paths, no dev server needed for the built app.
  base: "./",
  build: {
    // The web views the app runs in: WebView2 (Chromium) on Windows, WebKit from macOS 10.15
    // (Safari 13) and WebKitGTK. For the stylesheet too: none lacks `system-ui`, so it stays as
    // written instead of a list of eleven fonts, each a lookup at every start.
    target: ["chrome105", "safari13"],
    outDir: "dist",
    emptyOutDir: true,
  },
});
