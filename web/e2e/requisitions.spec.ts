import { readFileSync } from "node:fs";
import { type Page, expect, test } from "@playwright/test";
import { type Problems, url, watch } from "./watch";
import { signIn, signedIn, section } from "./session";

const POSTING = "Warehouse associate in Fresno. Recent college graduates preferred. No felons. Native English speaker required. Salary: competitive.";
const TITLE = "Warehouse associate, Fresno night shift";

/** A full-page screenshot from the top (the report's text panel is sticky). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** Problems other than the refusals a test provokes on purpose (Chromium logs each 4xx). */
const unexpected = (problems: Problems) => problems.list.filter((p) => !/status of (404|415|422|429)/.test(p));

/** Every finding card's excerpt against the text its marks hold: they must be equal. */
async function marksMatchExcerpts(page: Page): Promise<{ fingerprint: string; excerpt: string; marked: string }[]> {
  const pairs = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('[data-testid="finding"]')).flatMap((card) => {
      const quote = card.querySelector("q");
      if (!quote) return [];
      const fingerprint = card.dataset.fingerprint ?? "";
      const marks = Array.from(document.querySelectorAll(`mark[data-fingerprint="${fingerprint}"]`));
      return [{ fingerprint, excerpt: quote.textContent ?? "", marked: marks.map((m) => m.textContent ?? "").join("") }];
    }),
  );
  expect(pairs.length).toBeGreaterThan(0);
  for (const pair of pairs) expect(pair.marked, `marks of ${pair.fingerprint}`).toBe(pair.excerpt);
  return pairs;
}

const card = (page: Page, excerpt: RegExp) => page.getByTestId("finding").filter({ has: page.locator("q", { hasText: excerpt }) }).first();

test("an author checks a posting, a reviewer decides on its findings, and the decisions survive an edit", async ({ browser }) => {
  // The author submits a posting with concerns.
  const author = await signedIn(browser, "daniel.park@northwind.example");
  const problems = await watch(author);
  await section(author, "Requisitions").click();
  await expect(author).toHaveTitle("Requisitions · Attest");
  await author.getByRole("link", { name: "New requisition" }).click();
  await expect(author.getByRole("heading", { level: 1 })).toHaveText("New requisition");
  await author.getByLabel("Title").fill(TITLE);
  await author.getByLabel("Text of the posting").fill(POSTING);
  await author.getByLabel("Work state", { exact: true }).selectOption("CA");
  await author.getByLabel("City").fill("Fresno");
  await author.getByLabel("Employees in total").fill("50");
  await shot(author, "requisition-new");
  await author.getByRole("button", { name: "Analyse and save" }).click();

  // The report: score, counts, disclaimer, and each finding's words marked in the text.
  await expect(author).toHaveURL(/\/app\/requisitions\/[0-9a-f-]{36}$/);
  const reportUrl = author.url();
  await expect(author.getByRole("heading", { level: 1 })).toHaveText(TITLE);
  await expect(author).toHaveTitle(`${TITLE} · Attest`);
  await expect(author.getByTestId("requisition-meta")).toContainText("By Daniel Park");
  const score = Number(await author.getByTestId("score").locator(".req-score-value").textContent());
  expect(score).toBeLessThan(75);
  expect(Number(await author.getByTestId("count-high").locator(".req-count-value").textContent())).toBeGreaterThanOrEqual(1);
  await expect(author.getByTestId("disclaimer")).toContainText("not legal advice");
  const text = author.getByTestId("requisition-text");
  await expect(text).toHaveText(POSTING);
  await expect(text.locator("mark", { hasText: "No felons" })).toHaveCount(1);
  const before = await marksMatchExcerpts(author);
  expect(before.map((p) => p.excerpt)).toContain("No felons");

  // A mark selects its finding's card, and the card's "Show in text" its mark.
  await text.locator("mark", { hasText: "No felons" }).click();
  const felons = card(author, /^No felons$/);
  await expect(felons).toHaveClass(/req-finding-selected/);
  await expect(felons).toBeInViewport();
  await expect(felons).toContainText("Criminal history");
  await expect(felons).toContainText("Gov. Code §12952");
  await expect(felons).toContainText("Suggested rewrite");
  await expect(felons).toContainText("Not reviewed yet.");
  await expect(felons.getByRole("button", { name: "Dismiss" })).toHaveCount(0);
  const graduates = card(author, /college graduates/i);
  await graduates.getByRole("button", { name: "Show in text" }).click();
  await expect(text.locator("mark.hl-selected")).toContainText(/college graduates/i);
  await shot(author, "requisition-author");

  // The CSV report downloads with the findings.
  const downloading = author.waitForEvent("download");
  await author.getByRole("button", { name: "Download CSV" }).click();
  const csv = await downloading;
  expect(csv.suggestedFilename()).toMatch(/^requisition-.*-v1\.csv$/);
  const csvText = readFileSync(await csv.path(), "utf8");
  expect(csvText).toContain("criminal_history");
  expect(csvText).toContain("No felons");

  // The list shows it with its score and counts.
  await section(author, "Requisitions").click();
  const row = author.getByTestId("requisitions").locator("tr", { hasText: TITLE });
  await expect(row).toContainText("Daniel Park");
  await expect(row).toContainText(String(score));
  await expect(row).toContainText("0 of");
  await shot(author, "requisitions-list");

  // The reviewer, in another browser, dismisses one finding with a note and accepts another.
  const reviewer = await signedIn(browser, "grace.liu@northwind.example");
  const reviewerProblems = await watch(reviewer);
  await section(reviewer, "Requisitions").click();
  await reviewer.getByTestId("requisitions").getByRole("link", { name: TITLE }).click();
  await expect(reviewer.getByRole("heading", { level: 1 })).toHaveText(TITLE);
  await expect(reviewer.getByRole("button", { name: "Edit" })).toHaveCount(0);

  const toDismiss = card(reviewer, /college graduates/i);
  const dismissedFingerprint = (await toDismiss.getAttribute("data-fingerprint")) ?? "";
  await toDismiss.getByRole("button", { name: "Dismiss" }).click();
  await toDismiss.getByRole("button", { name: "Save decision" }).click();
  // The server's reason, next to the note.
  await expect(toDismiss.getByRole("alert")).toContainText("is required to dismiss a finding");
  await toDismiss.scrollIntoViewIfNeeded();
  await reviewer.screenshot({ path: "test-results/screens/requisition-dismiss-needs-note.png" });
  const note = "Posted only on our campus graduate-programme board; the public posting states no such preference.";
  await toDismiss.getByLabel(/Why it does not apply/).fill(note);
  await toDismiss.getByRole("button", { name: "Save decision" }).click();
  await expect(toDismiss.getByTestId("review")).toContainText("Dismissed by Grace Liu");
  await expect(toDismiss.getByTestId("review")).toContainText(note);

  const toAccept = card(reviewer, /^No felons$/);
  await toAccept.getByRole("button", { name: "Accept" }).click();
  await toAccept.getByLabel(/Note/).fill("Replace with our fair-chance statement.");
  await toAccept.getByRole("button", { name: "Save decision" }).click();
  await expect(toAccept.getByTestId("review")).toContainText("Accepted by Grace Liu");
  await expect(toAccept).toContainText("Change decision");
  await expect(reviewer.getByTestId("summary")).toContainText(/2 of \d+ reviewed/);
  await shot(reviewer, "requisition-reviewer");
  expect(unexpected(reviewerProblems)).toEqual([]);

  // The author adds a sentence at the top: a new version, the decisions kept on the same words.
  await author.goto(reportUrl);
  await expect(card(author, /college graduates/i).getByTestId("review")).toContainText("Dismissed by Grace Liu");
  await author.getByRole("button", { name: "Edit", exact: true }).click();
  const editor = author.getByLabel("Text of the posting");
  const intro = "Join the night crew at our Fresno distribution centre.\n";
  await editor.fill(intro + (await editor.inputValue()));
  await shot(author, "requisition-edit");
  await author.getByRole("button", { name: "Save as a new version" }).click();
  await expect(author.getByText("Saved as version 2")).toBeVisible();
  await expect(author.getByText("Version 2", { exact: true })).toBeVisible();
  await expect(author.getByTestId("requisition-text")).toHaveText(intro + POSTING);
  const after = await marksMatchExcerpts(author);
  expect(after.map((p) => p.fingerprint)).toContain(dismissedFingerprint);
  const kept = author.locator(`[data-testid="finding"][data-fingerprint="${dismissedFingerprint}"]`);
  await expect(kept.getByTestId("review")).toContainText("Dismissed by Grace Liu");
  await expect(kept.getByTestId("review")).toContainText(note);
  await expect(card(author, /^No felons$/).getByTestId("review")).toContainText("Accepted by Grace Liu");

  // The history has both versions.
  await author.getByText("Version history").click();
  const versions = author.getByTestId("versions");
  await expect(versions.locator("tbody tr")).toHaveCount(2);
  await expect(versions).toContainText("(current)");
  await shot(author, "requisition-edited");
  expect(unexpected(problems)).toEqual([]);
});

test("an author uploads a text file: what the posting lacks is listed apart, and unreadable files are explained", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "daniel.park@northwind.example");
  await page.goto(url("/app/requisitions/new"));
  await page.getByRole("tab", { name: "Upload a file" }).click();
  await expect(page.getByRole("tab", { name: "Upload a file" })).toHaveAttribute("aria-selected", "true");

  // Without a title, the server's reason is shown by the field and above the button.
  const file = page.getByLabel("File", { exact: true });
  await file.setInputFiles({ name: "forklift-operator.txt", mimeType: "text/plain", buffer: Buffer.from("Forklift operator, Oakland.\nMust be under 40 years old.\nDay shift, Monday to Friday.\n") });
  await page.getByLabel("Work state", { exact: true }).selectOption("CA");
  await page.getByLabel("Employees in total").fill("50");
  await page.getByRole("button", { name: "Analyse and save" }).click();
  await expect(page.locator("#title-error")).toHaveText("must not be empty");
  await expect(page.getByTestId("problems")).toContainText("Title: must not be empty");

  // A file that is not text, Word or PDF is refused with the server's reason.
  await page.getByLabel("Title").fill("Forklift operator, Oakland");
  await file.setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]) });
  await page.getByRole("button", { name: "Analyse and save" }).click();
  await expect(page.getByRole("alert")).toContainText("The file is not UTF-8 text, a .docx or a PDF.");
  await expect(page.getByRole("button", { name: "paste it instead" })).toBeVisible();
  await expect(page).toHaveURL(/\/app\/requisitions\/new$/);

  await file.setInputFiles({ name: "forklift-operator.txt", mimeType: "text/plain", buffer: Buffer.from("Forklift operator, Oakland.\nMust be under 40 years old.\nDay shift, Monday to Friday.\n") });
  await page.getByRole("button", { name: "Analyse and save" }).click();
  await expect(page).toHaveURL(/\/app\/requisitions\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("requisition-meta")).toContainText("from forklift-operator.txt (text file)");
  const missing = page.getByTestId("missing");
  await expect(missing).toContainText("Missing from the text");
  await expect(missing).toContainText("Pay transparency");
  await expect(missing.locator("q")).toHaveCount(0);
  await marksMatchExcerpts(page);
  await shot(page, "requisition-upload");
  expect(unexpected(problems)).toEqual([]);
});

test("a requisition that does not exist or is not visible says so, and people without the product do not see it", async ({ browser }) => {
  const author = await signedIn(browser, "daniel.park@northwind.example");
  await author.goto(url("/app/requisitions/00000000-0000-4000-8000-000000000000"));
  await expect(author.getByRole("heading", { name: "Requisition not found" })).toBeVisible();
  await author.getByRole("link", { name: "All requisitions" }).click();
  await expect(author).toHaveURL(/\/app\/requisitions$/);

  const worker = await signedIn(browser, "liam.chen@northwind.example");
  await expect(section(worker, "Requisitions")).toHaveCount(0);
});

test("the report's PDF downloads", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "grace.liu@northwind.example");
  await section(page, "Requisitions").click();
  await page.getByTestId("requisitions").locator("tbody tr a").first().click();
  await expect(page.getByTestId("summary")).toBeVisible();
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download PDF" }).click();
  const pdf = await downloading;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe("%PDF-");
  expect(unexpected(problems)).toEqual([]);
});

test("anyone can check a posting without an account, and the checker says what it keeps", async ({ page }) => {
  const problems = await watch(page);
  await page.goto(url("/"));
  await page.getByRole("link", { name: "Try the requisition checker without an account" }).click();
  await expect(page).toHaveURL(/\/analyze$/);
  await expect(page).toHaveTitle("Check a job posting · Attest");
  await expect(page.getByTestId("privacy")).toHaveText(
    "Your text is analysed in memory and never stored. We keep only the severity counts and rule-pack version for 24 hours.",
  );
  await page.getByLabel("Text of the posting").fill(POSTING);
  await page.getByText("Add details about the job").click();
  await page.getByLabel("Work state", { exact: true }).selectOption("CA");
  await page.getByLabel("Employees in total").fill("50");
  await page.getByRole("button", { name: "Analyse" }).click();

  const results = page.getByTestId("results");
  await expect(results.getByTestId("score")).toBeVisible();
  await expect(results.getByTestId("disclaimer")).toContainText("not legal advice");
  await expect(results.getByTestId("requisition-text")).toHaveText(POSTING);
  const pairs = await marksMatchExcerpts(page);
  expect(pairs.map((p) => p.excerpt)).toContain("No felons");
  await expect(card(page, /^No felons$/)).toContainText("Criminal history");
  // Read-only: no decisions to make.
  await expect(results.getByTestId("review")).toHaveCount(0);
  await expect(results.getByRole("button", { name: "Dismiss" })).toHaveCount(0);
  await shot(page, "analyze");

  // Offsets count characters, not UTF-16 units: marks stay exact after emoji and accents.
  const astral = "🚚🚚 Équipe à Montréal — “No felons” ✔. Must be under 40. 𝒜 native English speaker.";
  await page.getByLabel("Text of the posting").fill(astral);
  await page.getByRole("button", { name: "Analyse" }).click();
  await expect(results.getByTestId("requisition-text")).toHaveText(astral);
  const exact = await marksMatchExcerpts(page);
  expect(exact.map((p) => p.excerpt)).toEqual(expect.arrayContaining(["No felons", "Must be under 40"]));

  // Too many checks from one address: the page explains, rather than failing.
  await page.route("**/api/v1/public/analyze", (route) =>
    route.fulfill({ status: 429, contentType: "application/json", body: JSON.stringify({ code: "rate_limited", message: "Too many requests. Try again in 42 seconds.", request_id: "e2e" }) }),
  );
  await page.getByRole("button", { name: "Analyse" }).click();
  await expect(page.getByTestId("rate-limited")).toContainText("please wait a minute");
  await expect(page.getByTestId("rate-limited")).toContainText("42 seconds");
  expect(unexpected(problems)).toEqual([]);

  // The sign-in page links to it too.
  await page.goto(url("/sign-in"));
  await page.getByRole("link", { name: "Try the requisition checker without an account" }).click();
  await expect(page).toHaveURL(/\/analyze$/);
});
