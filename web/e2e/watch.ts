// Records everything a page complains about: console errors and warnings, uncaught exceptions,
// failed requests and Content-Security-Policy violations.
import type { Page } from "@playwright/test";

export interface Problems {
  list: string[];
}

export async function watch(page: Page): Promise<Problems> {
  const problems: Problems = { list: [] };
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.list.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.list.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A request cancelled because the page navigated away is not a failure.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.list.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  await page.exposeFunction("__reportCsp", (text: string) => problems.list.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCsp: (text: string) => void }).__reportCsp;
      report(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return problems;
}

export function url(path: string): string {
  const base = process.env.ATTEST_E2E_URL;
  if (!base) throw new Error("ATTEST_E2E_URL is not set: run through the Playwright global setup");
  return `${base}${path}`;
}
