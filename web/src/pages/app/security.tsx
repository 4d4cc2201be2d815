import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { Field, FormError } from "../../components/form";
import { type Enrolment, RecoveryCodes, TotpSetup } from "../../components/totp";
import { Badge, Notice, Panel, Spinner, when } from "../../components/ui";
import { reloadMe, useMe } from "../../me";
import { api, type Schema } from "../../api/client";

export function SecurityPage() {
  return (
    <div class="page">
      <h1>Security</h1>
      <TwoStep />
      <Sessions />
      <PasswordChange />
      <EmailChange />
    </div>
  );
}

/** A small form whose submit calls `action`; shows errors and a success message. */
function useForm(action: () => Promise<string | void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone((await action()) ?? undefined);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, submit, setError };
}

function TwoStep() {
  const me = useMe();
  const [password, setPassword] = useState("");
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>();
  const [codes, setCodes] = useState<string[] | undefined>();
  const start = useForm(async () => {
    setEnrolment(await api.post("/api/v1/me/mfa/totp", { body: { current_password: password } }));
    setPassword("");
  });
  const disable = useForm(async () => {
    await api.post("/api/v1/me/mfa/disable", { body: { current_password: password } });
    setPassword("");
    await reloadMe();
    return "Two-step verification is off.";
  });
  const renew = useForm(async () => {
    const result = await api.post("/api/v1/me/mfa/recovery-codes", { body: { current_password: password } });
    setPassword("");
    setCodes(result.recovery_codes);
  });
  const confirm = async (code: string) => {
    const result = await api.post("/api/v1/me/mfa/totp/confirm", { body: { code } });
    setEnrolment(undefined);
    setCodes(result.recovery_codes);
  };
  if (!me) return <Spinner label="Loading…" />;
  const error = start.error ?? disable.error ?? renew.error;
  return (
    <Panel
      title="Two-step verification"
      lead="A code from an app on your phone, asked for after your password."
      actions={me.mfa_enabled ? <Badge tone="ok">On</Badge> : <Badge tone={me.organisation.mfa_required ? "bad" : "warn"}>Off</Badge>}
    >
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => { setCodes(undefined); void reloadMe(); }} />
      ) : enrolment ? (
        <TotpSetup enrolment={enrolment} onConfirm={confirm} />
      ) : (
        <form noValidate onSubmit={me.mfa_enabled ? disable.submit : start.submit}>
          {disable.done ? <Notice tone="success"><p>{disable.done}</p></Notice> : null}
          {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
          {me.mfa_enabled ? <p>{me.recovery_codes_left} recovery codes left.</p> : null}
          <Field
            label="Your current password"
            name="mfa-password"
            type="password"
            value={password}
            onValue={setPassword}
            autocomplete="current-password"
            hint="Asked again before changing how you sign in."
            error={error?.fields.current_password}
          />
          <div class="row">
            {me.mfa_enabled ? (
              <>
                <button type="button" class="button button-secondary" disabled={renew.busy} onClick={renew.submit}>
                  New recovery codes
                </button>
                {me.organisation.mfa_required ? null : (
                  <button type="submit" class="button button-danger" disabled={disable.busy}>
                    Turn off
                  </button>
                )}
              </>
            ) : (
              <button type="submit" class="button" disabled={start.busy}>
                Set up an authenticator app
              </button>
            )}
          </div>
        </form>
      )}
    </Panel>
  );
}

type SessionItem = Schema<"SessionItem">;

function browser(agent?: string | null): string {
  if (!agent) return "Unknown device";
  const name = /Edg\//.test(agent) ? "Edge" : /Chrome\//.test(agent) ? "Chrome" : /Firefox\//.test(agent) ? "Firefox" : /Safari\//.test(agent) ? "Safari" : "Browser";
  const os = /Windows/.test(agent) ? "Windows" : /Mac OS X/.test(agent) ? "macOS" : /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Linux/.test(agent) ? "Linux" : "";
  return os ? `${name} on ${os}` : name;
}

function Sessions() {
  const [sessions, setSessions] = useState<SessionItem[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const load = () => api.get("/api/v1/me/sessions").then(setSessions, (e: unknown) => setError(asApiError(e)));
  useEffect(() => {
    void load();
  }, []);
  const revoke = async (id: string) => {
    try {
      await api.delete("/api/v1/me/sessions/{session_id}", { path: { session_id: id } });
      await load();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Panel title="Where you are signed in" lead="Sign out a device you do not recognise or no longer use.">
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      {!sessions ? (
        <Spinner label="Loading sessions…" />
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col"><span class="visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.session_id}>
                <td>
                  {browser(s.user_agent)} {s.current ? <Badge tone="info">This device</Badge> : null}
                  {s.mfa_verified ? <Badge tone="ok">2-step</Badge> : null}
                </td>
                <td>{s.source_ip ?? ""}</td>
                <td>{when(s.created_at)}</td>
                <td>{when(s.last_active_at)}</td>
                <td class="actions">
                  {s.current ? null : (
                    <button type="button" class="button button-small button-secondary" onClick={() => revoke(s.session_id)}>
                      Sign out
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function PasswordChange() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const form = useForm(async () => {
    await api.post("/api/v1/me/password", { body: { current_password: current, new_password: next } });
    setCurrent("");
    setNext("");
    return "Your password is changed. Your other sessions were signed out, and we sent you an email about it.";
  });
  return (
    <Panel title="Password">
      <form noValidate onSubmit={form.submit}>
        {form.done ? <Notice tone="success"><p>{form.done}</p></Notice> : null}
        {form.error && form.error.code !== "validation_failed" ? <FormError message={form.error.message} requestId={form.error.requestId} /> : null}
        <Field label="Current password" name="current-password" type="password" value={current} onValue={setCurrent} autocomplete="current-password" error={form.error?.fields.current_password} />
        <Field
          label="New password"
          name="new-password"
          type="password"
          value={next}
          onValue={setNext}
          autocomplete="new-password"
          hint="At least 12 characters; not a common or easily guessed one."
          error={form.error?.fields.new_password}
        />
        <button type="submit" class="button" disabled={form.busy}>
          Change password
        </button>
      </form>
    </Panel>
  );
}

function EmailChange() {
  const me = useMe();
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");
  const form = useForm(async () => {
    const result = await api.post("/api/v1/me/email", { body: { current_password: password, new_email: email } });
    setPassword("");
    return result.message;
  });
  return (
    <Panel title="Email address" lead={me ? `Currently ${me.email}.` : undefined}>
      <form noValidate onSubmit={form.submit}>
        {form.done ? <Notice tone="success"><p>{form.done}</p></Notice> : null}
        {form.error && form.error.code !== "validation_failed" ? <FormError message={form.error.message} requestId={form.error.requestId} /> : null}
        <Field label="New email address" name="new-email" type="email" value={email} onValue={setEmail} autocomplete="email" error={form.error?.fields.new_email} />
        <Field label="Current password" name="email-password" type="password" value={password} onValue={setPassword} autocomplete="current-password" error={form.error?.fields.current_password} />
        <button type="submit" class="button" disabled={form.busy}>
          Change email address
        </button>
      </form>
    </Panel>
  );
}
