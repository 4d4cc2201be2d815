import { useEffect, useState } from "preact/hooks";
import { getMeta, type Meta } from "./api";
import { AppLayout } from "./components/app-layout";
import { PublicLayout } from "./components/layout";
import { Spinner } from "./components/ui";
import { AuditPage } from "./pages/app/audit";
import { CredentialTypesPage } from "./pages/app/credential-types";
import { ImportPage } from "./pages/app/import";
import { ReadinessPage } from "./pages/app/readiness";
import { RequirementsPage } from "./pages/app/requirements";
import { WorkerPage } from "./pages/app/worker";
import { WorkersPage } from "./pages/app/workers";
import { MembersPage } from "./pages/app/members";
import { OrganisationPage } from "./pages/app/organisation";
import { OverviewPage } from "./pages/app/overview";
import { RequisitionNewPage } from "./pages/app/requisition-new";
import { RequisitionReportPage } from "./pages/app/requisition-report";
import { RequisitionsPage } from "./pages/app/requisitions";
import { SecurityPage } from "./pages/app/security";
import { GatePage } from "./pages/device/gate";
import { MyBadgePage } from "./pages/device/my-badge";
import { AnalyzePage } from "./pages/analyze";
import { HomePage } from "./pages/home";
import { AcceptInvitationPage, ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from "./pages/links";
import { NotFoundPage } from "./pages/not-found";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";
import { navigate, useLocation } from "./router";
import { consumeSignedOut, current, refresh, subscribe } from "./session";
import { useMe } from "./me";

const TITLES: Record<string, string> = {
  "/": "Attest",
  "/sign-in": "Sign in",
  "/sign-up": "Create an organisation",
  "/verify-email": "Confirm your email address",
  "/forgot-password": "Reset your password",
  "/reset-password": "Choose a new password",
  "/accept-invitation": "Join your team",
  "/confirm-email": "Confirm your new email address",
  "/app": "Overview",
  "/app/members": "Members",
  "/app/security": "Security",
  "/app/organisation": "Organisation",
  "/app/audit": "Audit ledger",
  "/app/readiness": "Readiness",
  "/app/workers": "Workers",
  "/app/my-credentials": "My credentials",
  "/app/credential-types": "Credential types",
  "/app/requirements": "Requirements",
  "/app/import": "Import",
  "/app/requisitions": "Requisitions",
  "/app/requisitions/new": "New requisition",
  "/analyze": "Check a job posting",
  "/gate": "Gate scanner",
  "/badge": "My badge",
};

/** `/app/workers/{id}` → the id. */
function workerId(path: string): string | undefined {
  const match = /^\/app\/workers\/([0-9a-f-]{36})$/.exec(path);
  return match?.[1];
}

/** `/app/requisitions/{id}` → the id. */
function requisitionId(path: string): string | undefined {
  const match = /^\/app\/requisitions\/([0-9a-f-]{36})$/.exec(path);
  return match?.[1];
}

function publicPage(path: string, meta: Meta | undefined) {
  switch (path) {
    case "/":
      return <HomePage />;
    case "/sign-in":
      return <SignInPage meta={meta} />;
    case "/sign-up":
      return <SignUpPage meta={meta} />;
    case "/verify-email":
      return <VerifyEmailPage />;
    case "/forgot-password":
      return <ForgotPasswordPage />;
    case "/reset-password":
      return <ResetPasswordPage />;
    case "/accept-invitation":
      return <AcceptInvitationPage />;
    case "/confirm-email":
      return <ConfirmEmailPage />;
    case "/analyze":
      return <AnalyzePage />;
    default:
      return <NotFoundPage />;
  }
}

function appPage(path: string) {
  switch (path) {
    case "/app":
      return <OverviewPage />;
    case "/app/members":
      return <MembersPage />;
    case "/app/security":
      return <SecurityPage />;
    case "/app/organisation":
      return <OrganisationPage />;
    case "/app/audit":
      return <AuditPage />;
    case "/app/readiness":
      return <ReadinessPage />;
    case "/app/workers":
      return <WorkersPage />;
    case "/app/my-credentials":
      return <MyCredentials />;
    case "/app/credential-types":
      return <CredentialTypesPage />;
    case "/app/requirements":
      return <RequirementsPage />;
    case "/app/import":
      return <ImportPage />;
    case "/app/requisitions":
      return <RequisitionsPage />;
    case "/app/requisitions/new":
      return <RequisitionNewPage />;
    default: {
      const id = workerId(path);
      if (id) return <WorkerPage key={id} workerId={id} />;
      const requisition = requisitionId(path);
      return requisition ? <RequisitionReportPage key={requisition} requisitionId={requisition} /> : <NotFoundPage />;
    }
  }
}

function MyCredentials() {
  const me = useMe();
  return me ? <WorkerPage workerId={me.user_id} /> : <Spinner label="Loading…" />;
}

export function App() {
  const location = useLocation();
  const path = location.pathname;
  const [meta, setMeta] = useState<Meta | undefined>();
  const [ready, setReady] = useState(false);
  const [signedIn, setSignedIn] = useState(current() !== undefined);

  useEffect(() => {
    getMeta().then(setMeta, () => setMeta(undefined));
    // A page load: the access token is gone (memory only); the refresh cookie may bring it back.
    refresh().finally(() => setReady(true));
    return subscribe(() => setSignedIn(current() !== undefined));
  }, []);

  useEffect(() => {
    const title = TITLES[path] ?? (workerId(path) ? "Worker" : requisitionId(path) ? "Requisition" : undefined);
    document.title = title ? (path === "/" ? "Attest" : `${title} · Attest`) : "Not found · Attest";
  }, [path]);

  const inApp = path === "/app" || path.startsWith("/app/");
  useEffect(() => {
    if (!ready) return;
    if (inApp && !signedIn) navigate(consumeSignedOut() ? "/sign-in" : `/sign-in?next=${encodeURIComponent(path)}`, { replace: true });
    if (!inApp && signedIn && (path === "/" || path === "/sign-in")) navigate("/app", { replace: true });
  }, [ready, inApp, signedIn, path]);

  // The phone pages work signed out and offline (from what the phone keeps).
  if (ready && path === "/gate") return <GatePage />;
  if (ready && path === "/badge") return <MyBadgePage />;
  if (!ready || (inApp && !signedIn)) {
    return (
      <div class="splash">
        <Spinner label="Loading Attest…" />
      </div>
    );
  }
  return inApp ? <AppLayout>{appPage(path)}</AppLayout> : <PublicLayout meta={meta}>{publicPage(path, meta)}</PublicLayout>;
}
