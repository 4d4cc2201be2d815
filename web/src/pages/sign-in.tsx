import { useState } from "preact/hooks";
import { ApiError, signIn, type Meta } from "../api";
import { Field, FormError } from "../components/form";
import { Card } from "../components/layout";
import { Link, useLocation } from "../router";

export function SignInPage({ meta }: { meta: Meta | undefined }) {
  const params = useLocation().searchParams;
  const [organisation, setOrganisation] = useState(params.get("organisation") ?? "");
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn({ organisation: organisation.trim(), email: email.trim(), password });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { code: "error", message: String(e), request_id: "" }));
    } finally {
      setBusy(false);
      setPassword("");
    }
  };

  return (
    <Card title="Sign in" lead="Sign in to your organisation's Attest workspace.">
      <form onSubmit={submit} noValidate>
        {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
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
        />
        <Field label="Email" name="email" type="email" value={email} onValue={setEmail} autocomplete="username" required />
        <Field
          label="Password"
          name="password"
          type="password"
          value={password}
          onValue={setPassword}
          autocomplete="current-password"
          required
        />
        <button type="submit" class="button button-block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p class="card-foot">
        New to Attest? <Link href="/sign-up">Create an organisation</Link>
      </p>
      {meta?.demo ? (
        <p class="card-note">
          This server runs the demo: the accounts and their password are printed where Attest was started.
        </p>
      ) : null}
    </Card>
  );
}
