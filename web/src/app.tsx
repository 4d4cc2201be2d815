import { useEffect, useState } from "preact/hooks";
import { getMeta, type Meta } from "./api";
import { AppLayout } from "./components/app-layout";
import { PublicLayout } from "./components/layout";
import { Spinner } from "./components/ui";
import { AuditPage } from "./pages/app/audit";
import { MembersPage } from "./pages/app/members";
import { OrganisationPage } from "./pages/app/organisation";
import { OverviewPage } from "./pages/app/overview";
import { SecurityPage } from "./pages/app/security";
import { HomePage } from "./pages/home";
import { AcceptInvitationPage, ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from "./pages/links";
import { NotFoundPage } from "./pages/not-found";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";
import { navigate, useLocation } from "./router";
import { consumeSignedOut, current, refresh, subscribe } from "./session";

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
};

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
    default:
      return <NotFoundPage />;
  }
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
    document.title = TITLES[path] ? (path === "/" ? "Attest" : `${TITLES[path]} · Attest`) : "Not found · Attest";
  }, [path]);

  const inApp = path === "/app" || path.startsWith("/app/");
  useEffect(() => {
    if (!ready) return;
    if (inApp && !signedIn) navigate(consumeSignedOut() ? "/sign-in" : `/sign-in?next=${encodeURIComponent(path)}`, { replace: true });
    if (!inApp && signedIn && (path === "/" || path === "/sign-in")) navigate("/app", { replace: true });
  }, [ready, inApp, signedIn, path]);

  if (!ready || (inApp && !signedIn)) {
    return (
      <div class="splash">
        <Spinner label="Loading Attest…" />
      </div>
    );
  }
  return inApp ? <AppLayout>{appPage(path)}</AppLayout> : <PublicLayout meta={meta}>{publicPage(path, meta)}</PublicLayout>;
}
