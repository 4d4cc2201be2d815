// Every page of the web app, in one place: its path, its title, where it is shown (the public
// frame, the signed-in frame, or alone on a phone), what it renders, and its entry in the
// signed-in navigation (in navigation order).
import type { JSX } from "preact";
import type { Schema } from "./api";
import { Spinner } from "./components/ui";
import { useMe } from "./me";
import { AuditPage } from "./pages/app/audit";
import { CredentialTypesPage } from "./pages/app/credential-types";
import { ImportPage } from "./pages/app/import";
import { MembersPage } from "./pages/app/members";
import { OrganisationPage } from "./pages/app/organisation";
import { OverviewPage } from "./pages/app/overview";
import { ReadinessPage } from "./pages/app/readiness";
import { RequirementsPage } from "./pages/app/requirements";
import { RequisitionNewPage } from "./pages/app/requisition-new";
import { RequisitionReportPage } from "./pages/app/requisition-report";
import { RequisitionsPage } from "./pages/app/requisitions";
import { SecurityPage } from "./pages/app/security";
import { WorkerPage } from "./pages/app/worker";
import { WorkersPage } from "./pages/app/workers";
import { AnalyzePage } from "./pages/analyze";
import { GatePage } from "./pages/device/gate";
import { MyBadgePage } from "./pages/device/my-badge";
import { HomePage } from "./pages/home";
import { AcceptInvitationPage, ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from "./pages/links";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";

/** Where a page is shown: in the public frame, in the signed-in frame (signed-in only), or alone
 * (the phone pages, which work signed out and offline from what the phone keeps). */
export type Area = "public" | "app" | "device";

/** What a page is rendered with: the `{id}` of its path, and the server's description. */
export interface RouteParams {
  id: string;
  meta: Schema<"Meta"> | undefined;
}

export interface Route {
  /** The path; `{id}` stands for an id (a UUID). */
  path: string;
  title: string;
  area: Area;
  render: (params: RouteParams) => JSX.Element;
  /** Its entry in the signed-in navigation, shown to anyone holding one of `anyOf` (empty:
   * everyone). */
  nav?: { label: string; anyOf: string[] };
}

function MyCredentials() {
  const me = useMe();
  return me ? <WorkerPage workerId={me.user_id} /> : <Spinner label="Loading…" />;
}

const READ_CREDENTIALS = ["credentials.read.crew", "credentials.read.org"];

export const ROUTES: Route[] = [
  { path: "/", title: "Attest", area: "public", render: () => <HomePage /> },
  { path: "/sign-in", title: "Sign in", area: "public", render: ({ meta }) => <SignInPage meta={meta} /> },
  { path: "/sign-up", title: "Create an organisation", area: "public", render: ({ meta }) => <SignUpPage meta={meta} /> },
  { path: "/verify-email", title: "Confirm your email address", area: "public", render: () => <VerifyEmailPage /> },
  { path: "/forgot-password", title: "Reset your password", area: "public", render: () => <ForgotPasswordPage /> },
  { path: "/reset-password", title: "Choose a new password", area: "public", render: () => <ResetPasswordPage /> },
  { path: "/accept-invitation", title: "Join your team", area: "public", render: () => <AcceptInvitationPage /> },
  { path: "/confirm-email", title: "Confirm your new email address", area: "public", render: () => <ConfirmEmailPage /> },
  { path: "/analyze", title: "Check a job posting", area: "public", render: () => <AnalyzePage /> },

  { path: "/app", title: "Overview", area: "app", render: () => <OverviewPage />, nav: { label: "Overview", anyOf: [] } },
  { path: "/app/readiness", title: "Readiness", area: "app", render: () => <ReadinessPage />, nav: { label: "Readiness", anyOf: READ_CREDENTIALS } },
  { path: "/app/workers", title: "Workers", area: "app", render: () => <WorkersPage />, nav: { label: "Workers", anyOf: READ_CREDENTIALS } },
  { path: "/app/workers/{id}", title: "Worker", area: "app", render: ({ id }) => <WorkerPage key={id} workerId={id} /> },
  { path: "/app/my-credentials", title: "My credentials", area: "app", render: () => <MyCredentials />, nav: { label: "My credentials", anyOf: ["credentials.read.self"] } },
  { path: "/badge", title: "My badge", area: "device", render: () => <MyBadgePage />, nav: { label: "My badge", anyOf: ["credentials.read.self"] } },
  { path: "/gate", title: "Gate scanner", area: "device", render: () => <GatePage />, nav: { label: "Gate scanner", anyOf: ["credentials.verify"] } },
  { path: "/app/credential-types", title: "Credential types", area: "app", render: () => <CredentialTypesPage />, nav: { label: "Credential types", anyOf: ["credentials.manage"] } },
  { path: "/app/requirements", title: "Requirements", area: "app", render: () => <RequirementsPage />, nav: { label: "Requirements", anyOf: READ_CREDENTIALS } },
  { path: "/app/import", title: "Import", area: "app", render: () => <ImportPage />, nav: { label: "Import", anyOf: ["credentials.manage", "people.manage"] } },
  { path: "/app/requisitions", title: "Requisitions", area: "app", render: () => <RequisitionsPage />, nav: { label: "Requisitions", anyOf: ["requisitions.read.own", "requisitions.read.org"] } },
  { path: "/app/requisitions/new", title: "New requisition", area: "app", render: () => <RequisitionNewPage /> },
  { path: "/app/requisitions/{id}", title: "Requisition", area: "app", render: ({ id }) => <RequisitionReportPage key={id} requisitionId={id} /> },
  { path: "/app/members", title: "Members", area: "app", render: () => <MembersPage />, nav: { label: "Members", anyOf: ["people.read.org"] } },
  { path: "/app/security", title: "Security", area: "app", render: () => <SecurityPage />, nav: { label: "Security", anyOf: [] } },
  { path: "/app/audit", title: "Audit ledger", area: "app", render: () => <AuditPage />, nav: { label: "Audit ledger", anyOf: ["audit.read.self"] } },
  { path: "/app/organisation", title: "Organisation", area: "app", render: () => <OrganisationPage />, nav: { label: "Organisation", anyOf: ["org.manage"] } },
];

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const PATTERNS = ROUTES.map((route) => ({ route, pattern: new RegExp(`^${route.path.replace("{id}", `(${UUID})`)}$`) }));

/** The page at `path`, and the id in it (empty if none). */
export function match(path: string): { route: Route; id: string } | undefined {
  for (const { route, pattern } of PATTERNS) {
    const found = pattern.exec(path);
    if (found) return { route, id: found[1] ?? "" };
  }
  return undefined;
}

/** Whether `path` is in the signed-in area (so needs a session), whether or not a page is there. */
export function inApp(path: string): boolean {
  return path === "/app" || path.startsWith("/app/");
}
