// Pages reached from links in email. The token is in the URL's fragment (#token=…), which the
// browser never sends to a server; the page reads it and posts it to the API.

import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../api";
import { anonymous, type Schema } from "../api/client";
import { asApiError } from "../components/errors";
import { Field, FormError } from "../components/form";
import { Card } from "../components/layout";
import { Notice, Spinner } from "../components/ui";
import { Link, useLocation } from "../router";

type LinkOutcome = Schema<"LinkOutcome">;

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

/** A link that needs nothing but its token (`confirm` sends it): confirming an address. */
function ConfirmLink({ title, confirm }: { title: string; confirm: (token: string) => Promise<LinkOutcome> }) {
  const [outcome, setOutcome] = useState<LinkOutcome | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    confirm(tokenFromFragment()).then(setOutcome, (e: unknown) => setError(asApiError(e)));
  }, [confirm]);
  return (
    <Card title={title}>
      {outcome ? <Done outcome={outcome} /> : error ? <BadLink error={error} /> : <Spinner label="Checking your link…" />}
    </Card>
  );
}

const verifyEmail = (token: string) => anonymous.post("/api/v1/auth/verify-email", { body: { token } });
const confirmEmailChange = (token: string) => anonymous.post("/api/v1/auth/confirm-email-change", { body: { token } });

export const VerifyEmailPage = () => <ConfirmLink title="Confirm your email address" confirm={verifyEmail} />;
export const ConfirmEmailPage = () => <ConfirmLink title="Confirm your new email address" confirm={confirmEmailChange} />;

/** A link that sets a password (`choose` sends it with the link's token): an invitation, or a
 * password reset. A refused password is reported under `field`. */
function ChoosePassword({
  title,
  lead,
  choose,
  field,
  button,
}: {
  title: string;
  lead: string;
  choose: (token: string, password: string) => Promise<LinkOutcome>;
  field: string;
  button: string;
}) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [outcome, setOutcome] = useState<LinkOutcome | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setOutcome(await choose(tokenFromFragment(), password));
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
    choose={(token, password) => anonymous.post("/api/v1/auth/accept-invitation", { body: { token, password } })}
    field="password"
    button="Accept the invitation"
  />
);

export const ResetPasswordPage = () => (
  <ChoosePassword
    title="Choose a new password"
    lead="Setting it signs you out everywhere."
    choose={(token, new_password) => anonymous.post("/api/v1/auth/reset-password", { body: { token, new_password } })}
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
      setSent((await anonymous.post("/api/v1/auth/forgot-password", { body: { organisation: organisation.trim(), email: email.trim() } })).message);
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
