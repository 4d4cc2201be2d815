// Starts `attest serve --demo` exactly as a user would (embedded PostgreSQL, self-signed TLS) on a
// fresh data directory and a free port, and stops it (cleanly) after the tests.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

export default async function globalSetup() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "attest-e2e-"));
  const binary = process.env.ATTEST_BIN ?? resolve(here, "../../target/debug/attest");
  const child = spawn(binary, ["serve", "--demo"], {
    env: {
      ...process.env,
      ATTEST_DATA_DIR: dataDir,
      ATTEST_HTTPS_ADDR: `127.0.0.1:${port}`,
      ATTEST_HTTP_ADDR: "off",
      ATTEST_WEB_DIR: resolve(here, "../dist"),
      ATTEST_LOG: "warn",
      // Every test signs up and in from the same address.
      ATTEST_RATE_LIMIT_PER_MINUTE: "600",
      ATTEST_RATE_LIMIT_BURST: "200",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`attest did not start within 180 s:\n${output}`)), 180_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Press Ctrl-C to stop.")) {
        clearTimeout(timer);
        ready();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`attest exited with ${code} before it was ready:\n${output}`));
    });
  });
  const password = /password is\s+(\S+)/.exec(output)?.[1];
  process.env.ATTEST_E2E_URL = `https://localhost:${port}`;
  process.env.ATTEST_E2E_DEMO_PASSWORD = password ?? "";
  process.env.ATTEST_E2E_DATA_DIR = dataDir;

  return async () => {
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
}
