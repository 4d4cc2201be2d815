import { expect, test } from "@playwright/test";
import { url, watch } from "./watch";

test("the start page loads over HTTPS under the strict CSP with no errors", async ({ page }) => {
  const problems = await watch(page);
  const response = await page.goto(url("/"));
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  expect(headers["content-security-policy"]).toContain("script-src 'self'");
  expect(headers["content-security-policy"]).not.toContain("unsafe-inline");
  expect(headers["strict-transport-security"]).toContain("max-age=63072000");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Workforce compliance you can prove.");
  await expect(page.getByText("Data residency: North America · Canada")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/home.png", fullPage: true });
  expect(problems.list).toEqual([]);
});

test("navigation reaches the sign-in page, whose form is labelled", async ({ page }) => {
  const problems = await watch(page);
  await page.goto(url("/"));
  await page.getByRole("navigation").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page).toHaveTitle("Sign in · Attest");
  await expect(page.getByLabel("Organisation")).toBeVisible();
  await expect(page.getByLabel("Email")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("type", "password");
  await expect(page.getByText("This server runs the demo")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/sign-in.png", fullPage: true });
  expect(problems.list).toEqual([]);
});

test("creating an organisation in Canada works end to end", async ({ page }) => {
  const problems = await watch(page);
  await page.goto(url("/sign-up"));
  await page.getByLabel("Organisation name").fill("Borealis Drilling Ltd.");
  await expect(page.getByLabel("Short name")).toHaveValue("borealis-drilling-ltd");
  await page.getByLabel("Where your data is kept").selectOption({ label: "Canada" });
  await page.getByLabel("Your name").fill("Nadia Quill");
  await page.getByLabel("Work email").fill("nadia@borealis.example");
  await page.getByLabel("Password").fill("aurora over the rig floor");
  await page.screenshot({ path: "test-results/screens/sign-up.png", fullPage: true });
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByRole("heading", { name: "Organisation created" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Borealis Drilling Ltd.");
  await expect(page.getByRole("status")).toContainText("Canada");
  await page.screenshot({ path: "test-results/screens/sign-up-done.png", fullPage: true });
  await page.getByRole("link", { name: "Continue to sign in" }).click();
  await expect(page.getByLabel("Organisation")).toHaveValue("borealis-drilling-ltd");
  await expect(page.getByLabel("Email")).toHaveValue("nadia@borealis.example");
  expect(problems.list).toEqual([]);
});

test("the sign-up form shows the server's reasons next to each field", async ({ page }) => {
  await page.goto(url("/sign-up"));
  await page.getByLabel("Organisation name").fill("Northwind Constructors");
  await page.getByLabel("Short name").fill("northwind");
  await page.getByLabel("Your name").fill("Someone Else");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("too short");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.locator("#admin-email-error")).toHaveText("is not a valid email address");
  await expect(page.locator("#admin-password-error")).toHaveText("must be at least 12 characters long");
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Work email").fill("someone@northwind.example");
  await page.getByLabel("Password").fill("a perfectly long password");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.locator("#slug-error")).toContainText("already exists");
  await page.screenshot({ path: "test-results/screens/sign-up-errors.png", fullPage: true });
});

test("an unknown address shows the app's not-found page", async ({ page }) => {
  const problems = await watch(page);
  await page.goto(url("/no/such/page"));
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  expect(problems.list).toEqual([]);
});
