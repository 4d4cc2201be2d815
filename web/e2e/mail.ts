// Reading the mail the server under test wrote (the embedded default delivers to .eml files in
// its data directory), and the TOTP codes an authenticator app would show (oathtool).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Undoes quoted-printable soft line breaks and `=3D`, as a mail client would. */
function decode(message: string): string {
  return message.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
}

/** The newest message to `to`, waiting for the outbox worker to deliver it. */
export async function newestMailTo(to: string, timeoutMs = 15_000): Promise<string> {
  const dir = join(process.env.ATTEST_E2E_DATA_DIR ?? "", "mail");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".eml"))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const file of files) {
      const text = decode(readFileSync(file, "utf8"));
      if (text.includes(`To: ${to}`)) return text;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
}

/** The path and fragment of the link in a message (`/verify-email#token=…`). */
export function linkIn(message: string): string {
  const match = /https:\/\/[^/\s]+(\/[a-z-]+#token=[A-Za-z0-9._-]+)/.exec(message);
  if (!match?.[1]) throw new Error(`no link in:\n${message}`);
  return match[1];
}

/** The current TOTP code for a base32 secret, from an independent implementation. */
export function totp(secret: string): string {
  return execFileSync("oathtool", ["--totp", "--base32", secret.replace(/\s+/g, "")], { encoding: "utf8" }).trim();
}
