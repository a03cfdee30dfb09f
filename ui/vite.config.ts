import { defineConfig } from "vite";

export default defineConfig({
  // Tauri serves the files itself: relative paths, no dev server needed for the built app.
  base: "./",
  build: {
    target: "es2021",
    // The web views the app runs in (WebView2, WebKit): none lacks `system-ui`, so the stylesheet
    // keeps it as written instead of a list of eleven fonts, each a lookup at every start.
    cssTarget: ["chrome105", "safari15"],
    outDir: "dist",
    emptyOutDir: true,
  },
});
