// Signing in as a demo account, and the app's section navigation, for the specs.
import { type Browser, type Page, expect } from "@playwright/test";
import { url } from "./watch";

export async function signIn(page: Page, email: string) {
  await page.goto(url("/sign-in"));
  await page.getByLabel("Organisation").fill("northwind");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(process.env.ATTEST_E2E_DEMO_PASSWORD ?? "");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
}

/** A new browser context signed in as `email`. */
export async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, email);
  return page;
}

export const section = (page: Page, name: string) => page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name });
