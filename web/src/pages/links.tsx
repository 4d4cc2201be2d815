// Pages reached from links in email. The token is in the URL's fragment (#token=…), which the
// browser never sends to a server; the page reads it and posts it to the API.

import { useEffect, useState } from "preact/hooks";
import { type ApiError, post } from "../api";
import { asApiError } from "../components/errors";
import { Field, FormError } from "../components/form";
import { Card } from "../components/layout";
import { Notice, Spinner } from "../components/ui";
import { Link, useLocation } from "../router";

interface LinkOutcome {
  message: string;
  organisation: string;
  email: string;
}

function tokenFromFragment(): string {
  return new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
}

function signInLink(outcome: LinkOutcome): string {
  return `/sign-in?organisation=${encodeURIComponent(outcome.organisation)}&email=${encodeURIComponent(outcome.email)}`;
}

function Done({ outcome }: { outcome: LinkOutcome }) {
  return (
    <>
      <Notice tone="success">
        <p>{outcome.message}</p>
      </Notice>
      <Link href={signInLink(outcome)} class="button button-block">
        Sign in
      </Link>
    </>
  );
}

function BadLink({ error }: { error: ApiError }) {
  return (
    <>
      <FormError message={error.message} requestId={error.requestId} />
      <Link href="/sign-in" class="button button-secondary button-block">
        Go to sign-in
      </Link>
    </>
  );
}

/** A link that needs nothing but its token: confirming an address. */
function ConfirmLink({ title, endpoint }: { title: string; endpoint: string }) {
  const [outcome, setOutcome] = useState<LinkOutcome | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    post<LinkOutcome>(endpoint, { token: tokenFromFragment() }).then(setOutcome, (e: unknown) => setError(asApiError(e)));
  }, [endpoint]);
  return (
    <Card title={title}>
      {outcome ? <Done outcome={outcome} /> : error ? <BadLink error={error} /> : <Spinner label="Checking your link…" />}
    </Card>
  );
}

export const VerifyEmailPage = () => <ConfirmLink title="Confirm your email address" endpoint="/api/v1/auth/verify-email" />;
export const ConfirmEmailPage = () => <ConfirmLink title="Confirm your new email address" endpoint="/api/v1/auth/confirm-email-change" />;

/** A link that sets a password: an invitation, or a password reset. */
function ChoosePassword({ title, lead, endpoint, field, button }: { title: string; lead: string; endpoint: string; field: string; button: string }) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [outcome, setOutcome] = useState<LinkOutcome | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setOutcome(await post<LinkOutcome>(endpoint, { token: tokenFromFragment(), [field]: password }));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  if (outcome) {
    return (
      <Card title={title}>
        <Done outcome={outcome} />
      </Card>
    );
  }
  return (
    <Card title={title} lead={lead}>
      <form onSubmit={submit} noValidate>
        {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
        <Field
          label="New password"
          name="new-password"
          type="password"
          value={password}
          onValue={setPassword}
          autocomplete="new-password"
          required
          hint="At least 12 characters. A passphrase of a few unrelated words works well."
          error={error?.fields[field]}
        />
        <button type="submit" class="button button-block" disabled={busy}>
          {busy ? "Saving…" : button}
        </button>
      </form>
    </Card>
  );
}

export const AcceptInvitationPage = () => (
  <ChoosePassword
    title="Join your team on Attest"
    lead="Choose a password to accept the invitation."
    endpoint="/api/v1/auth/accept-invitation"
    field="password"
    button="Accept the invitation"
  />
);

export const ResetPasswordPage = () => (
  <ChoosePassword
    title="Choose a new password"
    lead="Setting it signs you out everywhere."
    endpoint="/api/v1/auth/reset-password"
    field="new_password"
    button="Set the new password"
  />
);

export function ForgotPasswordPage() {
  const params = useLocation().searchParams;
  const [organisation, setOrganisation] = useState(params.get("organisation") ?? "");
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [sent, setSent] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setSent((await post<{ message: string }>("/api/v1/auth/forgot-password", { organisation: organisation.trim(), email: email.trim() })).message);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Reset your password" lead="We will email you a link to choose a new one.">
      {sent ? (
        <Notice tone="success">
          <p>{sent}</p>
        </Notice>
      ) : (
        <form onSubmit={submit} noValidate>
          {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
          <Field label="Organisation" name="organisation" value={organisation} onValue={setOrganisation} autocapitalize="none" required error={error?.fields.organisation} />
          <Field label="Email" name="email" type="email" value={email} onValue={setEmail} autocomplete="username" required error={error?.fields.email} />
          <button type="submit" class="button button-block" disabled={busy}>
            {busy ? "Sending…" : "Send the link"}
          </button>
        </form>
      )}
      <p class="card-foot">
        <Link href="/sign-in">Back to sign-in</Link>
      </p>
    </Card>
  );
}
