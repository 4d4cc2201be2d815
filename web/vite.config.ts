import { defineConfig } from "vite";

// The server serves `dist/` under a strict Content-Security-Policy (script-src 'self', no inline
// script or style), so the build must emit only external files.
export default defineConfig({
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact" },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
