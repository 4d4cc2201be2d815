import { defineConfig } from "@playwright/test";

// Real headless Chromium (Debian's package; Playwright never downloads a browser here) against a
// real `attest serve --demo` started by the global setup on a fresh data directory.
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results/artifacts",
  use: {
    ignoreHTTPSErrors: true,
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // The demo server's certificate is self-signed: Chromium registers service workers only
        // from origins whose certificate it accepts.
        "--ignore-certificate-errors",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium", viewport: { width: 1280, height: 860 } } }],
});
