import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { watch } from "./watch";
import { signIn } from "./session";

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.ATTEST_BIN ?? resolve(here, "../../target/debug/attest");

/** Runs `attest audit verify`; returns its exit status and what it said. */
function verify(args: string[]): { status: number; said: string } {
  try {
    const said = execFileSync(binary, ["audit", "verify", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { status: 0, said };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, said: `${e.stdout}${e.stderr}` };
  }
}

test("an auditor reads the ledger, filters it, and exports a file that verifies offline", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "aisha.khan@northwind.example");
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Audit ledger" }).click();
  await expect(page).toHaveTitle("Audit ledger · Attest");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit ledger");

  // The checkpoint: events sealed and the organisation's log key.
  const checkpoint = page.getByTestId("checkpoint");
  await expect(checkpoint).toContainText("Events sealed");
  const vkey = (await page.getByTestId("vkey").textContent())?.trim() ?? "";
  expect(vkey).toMatch(/^attest\/[0-9a-f-]{36}\+[0-9a-f]{8}\+/);

  // The timeline: the demo's seeding (by Attest itself) and the auditor's own sign-in.
  const events = page.getByTestId("audit-events");
  await expect(events).toContainText("Signed in");
  // The demo's seeding may fill more than the first page: the oldest events are a click away.
  const older = page.getByRole("button", { name: "Show older events" });
  if (await older.isVisible()) await older.click();
  await expect(events).toContainText("Organisation created");
  await expect(events).toContainText("Member added");
  await expect(events).toContainText("Signed in");
  await expect(events.locator("tbody tr").first()).toContainText("You");
  await page.screenshot({ path: "test-results/screens/audit.png", fullPage: true });

  // Filtering by action leaves only sign-in and account security events.
  await page.getByLabel("Action").selectOption({ label: "Sign-in and account security" });
  await expect(events).not.toContainText("Member added");
  await expect(events.locator("tbody tr").first()).toContainText("auth.");
  await page.getByLabel("Action").selectOption({ label: "All actions" });
  await expect(events).toContainText("Member added");

  // Export with progress, then check the file with the independent verifier and the published key.
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const download = await downloading;
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toContainText("events");
  const file = join(mkdtempSync(join(tmpdir(), "attest-export-")), download.suggestedFilename());
  await download.saveAs(file);
  expect(download.suggestedFilename()).toMatch(/^attest-audit-.*\.jsonl$/);
  await page.screenshot({ path: "test-results/screens/audit-exported.png", fullPage: true });

  const good = verify([file, "--key", vkey]);
  expect(good.said).toContain("verified: attest/");
  expect(good.status).toBe(0);

  // One changed byte in one event is named.
  const lines = readFileSync(file, "utf8").split("\n");
  const target = lines.findIndex((line, i) => i > 0 && line.includes("member.added"));
  expect(target).toBeGreaterThan(0);
  lines[target] = (lines[target] ?? "").replace("member.added", "member.adder");
  const tampered = `${file}.tampered`;
  writeFileSync(tampered, lines.join("\n"));
  const bad = verify([tampered, "--key", vkey]);
  expect(bad.status).toBe(1);
  expect(bad.said).toContain(`event ${target} (index ${target - 1}`);
  expect(problems.list).toEqual([]);
});

test("a worker sees only their own activity", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "liam.chen@northwind.example");
  const nav = page.getByRole("navigation", { name: "Sections" });
  await expect(nav.getByRole("link", { name: "Audit ledger" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Your activity" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your activity record");
  const events = page.getByTestId("audit-events");
  await expect(events).toContainText("Signed in");
  await expect(events).toContainText("Member added");
  await expect(events).not.toContainText("Organisation created");
  await expect(page.getByRole("button", { name: "Export", exact: true })).toHaveCount(0);
  await expect(page.getByTestId("checkpoint")).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/audit-worker.png", fullPage: true });
  expect(problems.list).toEqual([]);
});
