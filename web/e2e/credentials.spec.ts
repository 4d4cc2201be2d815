import { expect, test } from "@playwright/test";
import { watch } from "./watch";
import { signIn, signedIn, section } from "./session";

test("a manager adds a missing credential and an open dashboard updates by itself", async ({ browser }) => {
  const dashboard = await signedIn(browser, "hannah.okafor@northwind.example");
  const problems = await watch(dashboard);
  await section(dashboard, "Readiness").click();
  await expect(dashboard).toHaveTitle("Readiness · Attest");
  await expect(dashboard.getByTestId("live")).toContainText("Live");
  // The demo: 4 of 8 workers cleared; Zoe Wilson lacks Fall Protection at Harbour Tower.
  const overall = dashboard.getByTestId("overall");
  await expect(overall).toContainText("4 of 8 workers");
  await expect(dashboard.getByTestId("not-cleared")).toContainText("Fall Protection: missing");
  await expect(dashboard.getByTestId("expiring")).toContainText("Working at Heights");
  await dashboard.screenshot({ path: "test-results/screens/readiness.png", fullPage: true });

  // In another window, the manager records Zoe's Fall Protection, with a certificate scan.
  const editor = await signedIn(browser, "hannah.okafor@northwind.example");
  await section(editor, "Workers").click();
  await expect(editor.getByTestId("workers")).toContainText("Zoe Wilson");
  await editor.screenshot({ path: "test-results/screens/workers.png", fullPage: true });
  await editor.getByRole("link", { name: "Zoe Wilson" }).click();
  await expect(editor.getByRole("heading", { level: 1 })).toHaveText("Zoe Wilson");
  await expect(editor.getByTestId("clearances")).toContainText("Fall Protection: missing");
  await editor.getByRole("button", { name: "Add a credential" }).click();
  const form = editor.getByRole("form", { name: "Add a credential" });
  await form.getByLabel("Credential").selectOption({ label: "Fall Protection (FALL)" });
  await form.getByLabel("Issued by").fill("IHSA");
  await form.getByLabel("Certificate number").fill("FP-2231-ZW");
  await form.getByLabel(/Evidence/).setInputFiles({ name: "fall-protection.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% Zoe Wilson fall protection card\n%%EOF\n") });
  await editor.screenshot({ path: "test-results/screens/add-credential.png", fullPage: true });
  await form.getByRole("button", { name: "Add credential" }).click();
  await expect(editor.getByText("Fall Protection recorded.")).toBeVisible();
  await expect(editor.getByTestId("credential-FALL")).toContainText("Valid");
  await expect(editor.getByRole("heading", { level: 1 }).locator("..")).toContainText("Cleared for work");
  // The history shows the number and the evidence to the manager.
  await editor.getByRole("button", { name: "Fall Protection" }).click();
  await expect(editor.getByTestId("history")).toContainText("FP-2231-ZW");
  await expect(editor.getByTestId("history").getByRole("button", { name: "Download" })).toBeVisible();
  await editor.screenshot({ path: "test-results/screens/worker.png", fullPage: true });

  // The dashboard, untouched, now counts Zoe as cleared.
  await expect(overall).toContainText("5 of 8 workers");
  await expect(dashboard.getByTestId("not-cleared")).not.toContainText("Zoe Wilson");
  expect(problems.list).toEqual([]);
});

test("a worker sees only their own credentials, without managing them", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "liam.chen@northwind.example");
  const nav = page.getByRole("navigation", { name: "Sections" });
  await expect(nav.getByRole("link", { name: "Readiness" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Workers" })).toHaveCount(0);
  await section(page, "My credentials").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My credentials");
  await expect(page.getByTestId("credentials")).toContainText("First Aid/CPR");
  await expect(page.getByRole("button", { name: "Renew" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add a credential" })).toHaveCount(0);
  // Their own certificate number is theirs to see.
  await page.getByRole("button", { name: "First Aid/CPR" }).click();
  await expect(page.getByTestId("history")).toContainText("FACPR-");
  await page.screenshot({ path: "test-results/screens/my-credentials.png", fullPage: true });
  expect(problems.list).toEqual([]);
});

test("a manager sets what sites require in the matrix", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "hannah.okafor@northwind.example");
  await section(page, "Requirements").click();
  const matrix = page.getByTestId("matrix");
  await expect(matrix.getByLabel("Harbour Tower requires Working at Heights")).toBeChecked();
  const box = matrix.getByLabel("North Yard requires Confined Space Entry");
  await expect(box).not.toBeChecked();
  await box.check();
  await expect(box).toBeChecked();
  await page.reload();
  await expect(page.getByTestId("matrix").getByLabel("North Yard requires Confined Space Entry")).toBeChecked();
  await page.getByTestId("matrix").getByLabel("North Yard requires Confined Space Entry").uncheck();
  await page.screenshot({ path: "test-results/screens/requirements.png", fullPage: true });
  await section(page, "Credential types").click();
  await expect(page.getByTestId("types")).toContainText("H2S Alive");
  await page.screenshot({ path: "test-results/screens/credential-types.png", fullPage: true });
  // Reminders at the organisation's own offsets.
  const remind = page.getByLabel("Remind (days before expiry)");
  await expect(remind).toHaveValue("30, 7, 0");
  await remind.fill("0 14 60");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(remind).toHaveValue("60, 14, 0");
  await remind.fill("30, 7, 0");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(remind).toHaveValue("30, 7, 0");
  expect(problems.list).toEqual([]);
});

test("a manager imports a file: one bad row stops it, the fixed file imports, again changes nothing", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "hannah.okafor@northwind.example");
  await section(page, "Import").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Import");
  const today = new Date().toISOString().slice(0, 10);
  const good = `email,credential,issuer,issued_on,expires_on,number\nethan.brown@northwind.example,FORK,Lift Academy,2026-11-01,,FK-2044\nnoah.tremblay@northwind.example,First Aid/CPR,Canadian Red Cross,${today},,RC-88120\n`;
  const bad = `${good}ghost@northwind.example,FORK,Lift Academy,2026-11-01,,\n`;
  const picker = page.getByLabel("File to import");

  await picker.setInputFiles({ name: "credentials.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "Check the file" }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("Nothing was imported: 1 problem in 3 rows");
  await expect(page.getByTestId("import-problems")).toContainText("no member of the organisation has the address ghost@northwind.example");
  await expect(page.getByRole("button", { name: /^Import/ })).toBeDisabled();
  await page.screenshot({ path: "test-results/screens/import-refused.png", fullPage: true });

  await picker.setInputFiles({ name: "credentials.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(result).toContainText("Every row is fine");
  await page.getByRole("button", { name: "Import 2 rows" }).click();
  await expect(result).toContainText("Imported.");
  await expect(result).toContainText("1 new");
  await expect(result).toContainText("1 renewed");
  await page.screenshot({ path: "test-results/screens/import-done.png", fullPage: true });

  // The same file again changes nothing.
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(result).toContainText("2 unchanged");
  expect(problems.list).toEqual([]);
});

test("a supervisor sees their own crew's readiness, without personal fields", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "samuel.reyes@northwind.example");
  await section(page, "Readiness").click();
  await expect(page.getByTestId("overall")).toContainText("of 4 workers");
  await expect(page.getByTestId("group-Tower framing")).toBeVisible();
  await expect(page.getByTestId("group-Electrical")).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/supervisor-readiness.png", fullPage: true });
  await section(page, "Workers").click();
  await expect(page.getByTestId("workers")).toContainText("Liam Chen");
  await expect(page.getByTestId("workers")).not.toContainText("Ethan Brown");
  await page.getByRole("link", { name: "Liam Chen" }).click();
  await page.getByRole("button", { name: "First Aid/CPR" }).click();
  await expect(page.getByTestId("history")).toContainText("visible to the worker and HSE managers only");
  await expect(page.getByTestId("history")).not.toContainText("FACPR-");
  await expect(page.getByRole("button", { name: "Renew" })).toHaveCount(0);
  expect(problems.list).toEqual([]);
});
