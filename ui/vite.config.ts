import { defineConfig } from "vite";

export default defineConfig({
  // Tauri serves the files itself: relative paths, no dev server needed for the built app.
  base: "./",
  build: { target: "es2021", outDir: "dist", emptyOutDir: true },
});
