import { useState } from "preact/hooks";
import type { ApiError } from "../api";
import { anonymous, type Schema } from "../api/client";
import { asApiError } from "../components/errors";
import { Field, FormError } from "../components/form";
import { Card } from "../components/layout";
import { type Enrolment, RecoveryCodes, TotpSetup } from "../components/totp";
import { Notice } from "../components/ui";
import { Link, navigate, useLocation } from "../router";
import { type SignedIn, accept } from "../session";

type Step =
  | { kind: "credentials" }
  | { kind: "mfa"; token: string }
  | { kind: "enrol"; token: string; enrolment?: Enrolment }
  | { kind: "codes"; codes: string[]; signedIn: SignedIn };

/** Where to go after signing in: the page that asked for it, if it is one of ours. */
function destination(next: string | null): string {
  return next && next.startsWith("/app") ? next : "/app";
}

export function SignInPage({ meta }: { meta: Schema<"Meta"> | undefined }) {
  const params = useLocation().searchParams;
  const [step, setStep] = useState<Step>({ kind: "credentials" });
  const finish = (signedIn: SignedIn) => {
    accept(signedIn);
    navigate(destination(params.get("next")), { replace: true });
  };

  switch (step.kind) {
    case "credentials":
      return <Credentials meta={meta} onSignedIn={finish} onStep={setStep} />;
    case "mfa":
      return <SecondFactor token={step.token} onSignedIn={finish} onRestart={() => setStep({ kind: "credentials" })} />;
    case "enrol":
      return <RequiredEnrolment token={step.token} onDone={(codes, signedIn) => setStep({ kind: "codes", codes, signedIn })} />;
    case "codes":
      return (
        <Card title="Save your recovery codes">
          <RecoveryCodes codes={step.codes} onDone={() => finish(step.signedIn)} />
        </Card>
      );
  }
}

function Credentials({ meta, onSignedIn, onStep }: { meta: Schema<"Meta"> | undefined; onSignedIn: (s: SignedIn) => void; onStep: (s: Step) => void }) {
  const params = useLocation().searchParams;
  const [organisation, setOrganisation] = useState(params.get("organisation") ?? "");
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [resent, setResent] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await anonymous.post("/api/v1/auth/sign-in", { body: { organisation: organisation.trim(), email: email.trim(), password } });
      if (result.status === "signed_in") onSignedIn(result);
      else if (result.status === "mfa_required") onStep({ kind: "mfa", token: result.mfa_token });
      else onStep({ kind: "enrol", token: result.mfa_token });
    } catch (e) {
      setError(asApiError(e));
      setPassword("");
    } finally {
      setBusy(false);
    }
  };
  const resend = async () => {
    await anonymous.post("/api/v1/auth/resend-verification", { body: { organisation: organisation.trim(), email: email.trim() } }).catch(() => undefined);
    setResent(true);
  };

  return (
    <Card title="Sign in" lead="Sign in to your organisation's Attest workspace.">
      <form onSubmit={submit} noValidate>
        {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
        {error?.code === "email_not_verified" ? (
          resent ? (
            <Notice tone="info">
              <p>A new confirmation link is on its way.</p>
            </Notice>
          ) : (
            <button type="button" class="button button-secondary button-block" onClick={resend}>
              Send a new confirmation link
            </button>
          )
        ) : null}
        <Field
          label="Organisation"
          name="organisation"
          value={organisation}
          onValue={setOrganisation}
          autocomplete="organization"
          autocapitalize="none"
          spellcheck={false}
          required
          hint="Your organisation's short name, for example northwind."
          error={error?.fields.organisation}
        />
        <Field label="Email" name="email" type="email" value={email} onValue={setEmail} autocomplete="username" required error={error?.fields.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          value={password}
          onValue={setPassword}
          autocomplete="current-password"
          required
          error={error?.fields.password}
        />
        <p class="form-aside">
          <Link href={`/forgot-password?organisation=${encodeURIComponent(organisation)}&email=${encodeURIComponent(email)}`}>Forgot your password?</Link>
        </p>
        <button type="submit" class="button button-block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p class="card-foot">
        New to Attest? <Link href="/sign-up">Create an organisation</Link>
      </p>
      <p class="card-foot card-foot-tight">
        <Link href="/analyze">Try the requisition checker without an account</Link>
      </p>
      {meta?.demo ? (
        <p class="card-note">This server runs the demo: the accounts and their password are printed where Attest was started.</p>
      ) : null}
    </Card>
  );
}

function SecondFactor({ token, onSignedIn, onRestart }: { token: string; onSignedIn: (s: SignedIn) => void; onRestart: () => void }) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = useRecovery ? { mfa_token: token, recovery_code: code.trim() } : { mfa_token: token, code: code.trim() };
      onSignedIn(await anonymous.post("/api/v1/auth/mfa", { body }));
    } catch (e) {
      const err = asApiError(e);
      if (err.code === "mfa_token_invalid") onRestart();
      setError(err);
      setCode("");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title="Two-step verification"
      lead={useRecovery ? "Enter one of your recovery codes." : "Enter the six-digit code from your authenticator app."}
    >
      <form onSubmit={submit} noValidate>
        {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
        {useRecovery ? (
          <Field label="Recovery code" name="recovery-code" value={code} onValue={setCode} autocapitalize="none" spellcheck={false} required autofocus />
        ) : (
          <Field label="Code" name="code" value={code} onValue={setCode} autocomplete="one-time-code" inputmode="numeric" required autofocus />
        )}
        <button type="submit" class="button button-block" disabled={busy}>
          {busy ? "Checking…" : "Verify"}
        </button>
      </form>
      <p class="card-foot">
        <button type="button" class="link-button" onClick={() => { setUseRecovery(!useRecovery); setCode(""); setError(undefined); }}>
          {useRecovery ? "Use the authenticator app instead" : "Lost your phone? Use a recovery code"}
        </button>
      </p>
    </Card>
  );
}

function RequiredEnrolment({ token, onDone }: { token: string; onDone: (codes: string[], signedIn: SignedIn) => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const start = async () => {
    try {
      setEnrolment(await anonymous.post("/api/v1/auth/mfa/enrolment", { body: { mfa_token: token } }));
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const confirm = async (code: string) => {
    const result = await anonymous.post("/api/v1/auth/mfa/enrolment/confirm", { body: { mfa_token: token, code } });
    onDone(result.recovery_codes, result);
  };
  return (
    <Card title="Set up two-step verification" lead="Your organisation requires a second step when you sign in: a code from an app on your phone.">
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      {enrolment ? (
        <TotpSetup enrolment={enrolment} onConfirm={confirm} />
      ) : (
        <button type="button" class="button button-block" onClick={start}>
          Set it up now
        </button>
      )}
    </Card>
  );
}
