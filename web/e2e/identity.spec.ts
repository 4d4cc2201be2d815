import { expect, test } from "@playwright/test";
import { linkIn, newestMailTo, totp } from "./mail";
import { url, watch } from "./watch";

const PASSWORD = "aurora over the rig floor";

test("sign up, verify the address, sign in, turn on two-step verification, sign out, sign in with a code", async ({ page }) => {
  const problems = await watch(page);
  const email = "nadia@tundra.example";

  // Sign up.
  await page.goto(url("/sign-up"));
  await page.getByLabel("Organisation name").fill("Tundra Pipelines");
  await page.getByLabel("Your name").fill("Nadia Quill");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByRole("heading", { name: "Organisation created" })).toBeVisible();

  // Signing in before verifying is refused, with a way to get a new link.
  await page.getByRole("link", { name: "Continue to sign in" }).click();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Confirm your email address first");

  // Follow the link from the mail.
  await page.goto(url(linkIn(await newestMailTo(email))));
  await expect(page.getByText("Your email address is confirmed")).toBeVisible();
  await page.getByRole("link", { name: "Sign in" }).last().click();

  // Sign in.
  await expect(page.getByLabel("Organisation")).toHaveValue("tundra-pipelines");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Nadia" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/overview.png", fullPage: true });
  const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  expect(stored).toBe('{"local":{},"session":{}}');

  // Turn on two-step verification with an independent TOTP client.
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Security" }).click();
  await page.getByLabel("Your current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/mfa-enrol.png", fullPage: true });
  const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
  const enrolStep = Math.floor(Date.now() / 30_000);
  await page.getByLabel("Code from the app").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.screenshot({ path: "test-results/screens/recovery-codes.png", fullPage: true });
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByRole("region", { name: "Two-step verification" }).getByText("On", { exact: true })).toBeVisible();

  // Sign out; the session is gone even after a reload.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto(url("/app/security"));
  await expect(page).toHaveURL(/\/sign-in\?next=/);

  // Sign in with a code.
  await page.getByLabel("Organisation").fill("tundra-pipelines");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Two-step verification" })).toBeVisible();
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toContainText("not right");
  // A failed attempt delays the next by a second (then 2, 4, 8 s, then a lock).
  await page.waitForTimeout(1_100);
  // A code is accepted once: if the enrolment's 30-second step is still current, wait for the next.
  if (Math.floor(Date.now() / 30_000) === enrolStep) await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
  await page.getByLabel("Code").fill(totp(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  const signedIn = page.getByRole("heading", { name: "Security" });
  await expect(signedIn).toBeVisible();
  await expect(page).toHaveURL(/\/app\/security$/);
  // The refused attempts above (unverified address, wrong code) are the only errors.
  expect(problems.list.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
});

test("a demo administrator signs in and sees the members", async ({ page }) => {
  const problems = await watch(page);
  await page.goto(url("/sign-in"));
  await page.getByLabel("Organisation").fill("northwind");
  await page.getByLabel("Email").fill("olivia.grant@northwind.example");
  await page.getByLabel("Password").fill(process.env.ATTEST_E2E_DEMO_PASSWORD ?? "");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Olivia" })).toBeVisible();
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Members" }).click();
  await expect(page.getByTestId("members").locator("tbody tr")).toHaveCount(15);
  await page.screenshot({ path: "test-results/screens/members.png", fullPage: true });

  // A page reload keeps the session (the refresh cookie), though the access token was in memory.
  await page.reload();
  await expect(page.getByTestId("members").locator("tbody tr")).toHaveCount(15);
  expect(problems.list).toEqual([]);
});
