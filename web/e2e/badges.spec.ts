import { type Page, chromium, expect, test } from "@playwright/test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { url, watch } from "./watch";

async function signIn(page: Page, email: string, next = "") {
  await page.goto(url(`/sign-in${next ? `?next=${encodeURIComponent(next)}` : ""}`));
  await page.getByLabel("Organisation").fill("northwind");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(process.env.ATTEST_E2E_DEMO_PASSWORD ?? "");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
}

/** The badge QR on the worker's screen as one 640×480 Y4M frame (a camera's view of it). */
async function cameraFrame(worker: Page): Promise<Buffer> {
  const luma = await worker.evaluate(async () => {
    const img = document.querySelector<HTMLImageElement>("img.own-badge-qr");
    if (!img) throw new Error("no badge image");
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 480;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no canvas");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, 640, 480);
    ctx.drawImage(img, 140, 60, 360, 360);
    const { data } = ctx.getImageData(0, 0, 640, 480);
    const y: number[] = [];
    for (let i = 0; i < data.length; i += 4) y.push(Math.round(0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!));
    return y;
  });
  const header = Buffer.from("YUV4MPEG2 W640 H480 F5:1 Ip A1:1 C420jpeg\nFRAME\n");
  const chroma = Buffer.alloc((640 / 2) * (480 / 2) * 2, 128);
  return Buffer.concat([header, Buffer.from(luma), chroma]);
}

test("a worker's badge shown on one screen verifies at the gate, also offline, and offline scans sync once", async ({ browser }) => {
  test.setTimeout(120_000);
  // The worker opens their badge.
  const workerContext = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 420, height: 900 } });
  const worker = await workerContext.newPage();
  const workerProblems = await watch(worker);
  await signIn(worker, "liam.chen@northwind.example");
  await worker.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "My badge" }).click();
  await expect(worker).toHaveTitle("My badge · Attest");
  const badge = worker.getByTestId("own-badge");
  await expect(badge).toContainText("Liam Chen");
  await expect(badge).toContainText("Working at Heights");
  await expect(badge.getByRole("img", { name: "Your badge QR code" })).toBeVisible();
  await worker.screenshot({ path: "test-results/screens/my-badge.png", fullPage: true });
  const payload = (await badge.getByRole("img").getAttribute("data-payload")) ?? "";
  expect(payload).toMatch(/^AT1:[0-9A-Z $%*+\-./:]+$/);
  const frameDir = mkdtempSync(join(tmpdir(), "attest-camera-"));
  const frame = join(frameDir, "badge.y4m");
  writeFileSync(frame, await cameraFrame(worker));
  // Offline, the worker's phone still shows the badge (the service worker keeps the app).
  await expect.poll(() => worker.evaluate(() => navigator.serviceWorker?.controller !== null), { timeout: 20_000 }).toBe(true);
  await workerContext.setOffline(true);
  await worker.reload();
  await expect(worker.getByTestId("own-badge")).toContainText("offline copy");
  await expect(worker.getByRole("img", { name: "Your badge QR code" })).toBeVisible();
  await workerContext.setOffline(false);
  expect(workerProblems.list.filter((p) => !p.includes("net::ERR_INTERNET_DISCONNECTED"))).toEqual([]);

  // The supervisor's phone: a camera that sees the worker's screen.
  const phone = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--ignore-certificate-errors", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${frame}`],
  });
  try {
    const gateContext = await phone.newContext({ ignoreHTTPSErrors: true, viewport: { width: 420, height: 900 }, permissions: ["camera"] });
    const gate = await gateContext.newPage();
    await signIn(gate, "samuel.reyes@northwind.example");
    await gate.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Gate scanner" }).click();
    await expect(gate).toHaveTitle("Gate scanner · Attest");
    await expect(gate.getByTestId("gate-status")).toContainText("Data as of");
    await gate.getByText("Gate settings and other ways to scan").click();
    await gate.getByLabel("This gate (recorded with each scan)").fill("Harbour Tower, north gate");
    const result = gate.getByTestId("gate-result");
    await expect(result).toContainText("VALID", { timeout: 30_000 });
    await expect(result).toContainText("Liam Chen");
    await expect(result).toContainText("Working at Heights");
    await expect(result).toContainText("recorded in the audit ledger");
    const shown = (await gate.locator("body").innerText()).toLowerCase();
    for (const secret of ["@northwind.example", "certificate no", "notes", "evidence"]) expect(shown).not.toContain(secret);
    await gate.screenshot({ path: "test-results/screens/gate-valid.png", fullPage: true });

    // The app shell is kept for offline use once the service worker controls the page.
    await expect.poll(() => gate.evaluate(() => navigator.serviceWorker?.controller !== null), { timeout: 20_000 }).toBe(true);

    // Offline: the camera scan still verifies, and is kept on the phone.
    await gateContext.setOffline(true);
    await expect(gate.getByTestId("network")).toHaveText("Offline");
    await gate.getByRole("button", { name: "Scan next badge" }).click();
    await expect(result).toContainText("VALID", { timeout: 30_000 });
    await expect(result).toContainText("it will be recorded when back online");
    await expect(gate.getByTestId("queued")).toHaveText("1 scan waiting to sync");
    // An altered badge is refused, offline too.
    const at = payload.length - 20; // inside the signature
    const altered = payload.slice(0, at) + (payload[at] === "A" ? "B" : "A") + payload.slice(at + 1);
    await gate.getByLabel("Enter the badge code").fill(altered);
    await gate.getByRole("button", { name: "Check" }).click();
    await expect(result).toContainText("NOT VALID");
    await expect(result).toContainText("altered or forged");
    await expect(result).not.toContainText("Liam Chen");
    await gate.screenshot({ path: "test-results/screens/gate-invalid-offline.png", fullPage: true });
    await expect(gate.getByTestId("queued")).toHaveText("2 scans waiting to sync");
    // A reload while offline still opens the gate from the kept shell and bundle, and the
    // camera (still on the worker's screen) verifies the badge again, offline.
    await gate.reload();
    await expect(gate.getByTestId("gate-status")).toContainText("Data as of");
    await expect(result).toContainText("VALID", { timeout: 30_000 });
    await expect(result).toContainText("Liam Chen");
    await expect(gate.getByTestId("queued")).toHaveText("3 scans waiting to sync");

    // Back online: the queue is sent once; going offline and online again sends nothing more.
    await gateContext.setOffline(false);
    await expect(gate.getByTestId("queued")).toHaveText("All scans recorded", { timeout: 20_000 });
    await gateContext.setOffline(true);
    await gateContext.setOffline(false);
    await gate.goto(url("/app/audit"));
    const events = gate.getByTestId("audit-events");
    await expect(events).toContainText("Badge checked at a gate");
    // One online scan and three synced ones: each recorded exactly once.
    await expect(events.locator("tbody tr", { hasText: "Badge checked at a gate" })).toHaveCount(4);
    await gateContext.close();
  } finally {
    await phone.close();
  }
});

test("a worker cannot open the gate's bundle, and a signed-out phone with no bundle says what to do", async ({ browser }) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 420, height: 800 } });
  const page = await context.newPage();
  await page.goto(url("/gate"));
  await expect(page.getByText("Sign in once while online to download the trust bundle.")).toBeVisible();
  await signIn(page, "ava.martin@northwind.example");
  await expect(page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Gate scanner" })).toHaveCount(0);
  await page.goto(url("/gate"));
  await expect(page.getByRole("alert")).toContainText("Your role does not allow this");
  await context.close();
});
