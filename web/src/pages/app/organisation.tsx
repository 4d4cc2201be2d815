import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError } from "../../components/form";
import { Notice, Panel, Spinner, when } from "../../components/ui";
import { reloadMe } from "../../me";
import { api, type Schema } from "../../api/client";

type Settings = Schema<"OrganisationSettings">;

export function OrganisationPage() {
  const [settings, setSettings] = useState<Settings | undefined>();
  const [mfa, setMfa] = useState(false);
  const [idle, setIdle] = useState("30");
  const [lifetime, setLifetime] = useState("12");
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  const show = (s: Settings) => {
    setSettings(s);
    setMfa(s.mfa_required);
    setIdle(String(s.idle_timeout_minutes));
    setLifetime(String(s.session_lifetime_hours));
  };
  useEffect(() => {
    api.get("/api/v1/organisation").then(show, (e: unknown) => setError(asApiError(e)));
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      show(
        await api.patch("/api/v1/organisation", {
          body: { mfa_required: mfa, idle_timeout_minutes: Number(idle), session_lifetime_hours: Number(lifetime) },
        }),
      );
      setSaved(true);
      await reloadMe();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  if (!settings) return error ? <FormError message={error.message} requestId={error.requestId} /> : <Spinner label="Loading…" />;
  return (
    <div class="page">
      <h1>Organisation</h1>
      <Panel title={settings.name}>
        <dl class="facts">
          <dt>Short name</dt>
          <dd>{settings.slug}</dd>
          <dt>Data kept in</dt>
          <dd>{settings.region_label}</dd>
          <dt>Created</dt>
          <dd>{when(settings.created_at)}</dd>
        </dl>
      </Panel>
      <Panel title="Security policies" lead="Changes are recorded in the audit ledger.">
        <form noValidate onSubmit={submit}>
          {saved ? <Notice tone="success"><p>Saved.</p></Notice> : null}
          {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
          <div class="field check">
            <input id="mfa-required" type="checkbox" checked={mfa} onChange={(e) => setMfa((e.target as HTMLInputElement).checked)} />
            <label for="mfa-required">Require two-step verification for everyone</label>
            <p class="hint">Members without it set it up at their next sign-in; sessions without it end at their next refresh.</p>
          </div>
          <div class={error?.fields.idle_timeout_minutes ? "field field-invalid" : "field"}>
            <label for="idle">Sign out after this many idle minutes</label>
            <input id="idle" type="number" min={5} max={1440} value={idle} onInput={(e) => setIdle((e.target as HTMLInputElement).value)} />
            {error?.fields.idle_timeout_minutes ? <p class="error" role="alert">{error.fields.idle_timeout_minutes}</p> : <p class="hint">5 to 1440 (default 30).</p>}
          </div>
          <div class={error?.fields.session_lifetime_hours ? "field field-invalid" : "field"}>
            <label for="lifetime">End every session after this many hours</label>
            <input id="lifetime" type="number" min={1} max={720} value={lifetime} onInput={(e) => setLifetime((e.target as HTMLInputElement).value)} />
            {error?.fields.session_lifetime_hours ? <p class="error" role="alert">{error.fields.session_lifetime_hours}</p> : <p class="hint">1 to 720 (default 12).</p>}
          </div>
          <button type="submit" class="button">
            Save policies
          </button>
        </form>
      </Panel>
    </div>
  );
}
