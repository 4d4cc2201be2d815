import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { api, type Schema } from "../../api/client";
import { asApiError } from "../../components/errors";
import { Field, FormError } from "../../components/form";
import { Badge, Notice, Panel, Spinner } from "../../components/ui";
import type { CredentialType } from "../../credentials";
import { can, useMe } from "../../me";

type Starter = Schema<"StarterView">;

function validity(months?: number | null): string {
  if (!months) return "Does not expire";
  return months % 12 === 0 ? `${months / 12} year${months === 12 ? "" : "s"}` : `${months} months`;
}

type Settings = Schema<"SettingsBody">;

/** The "expiring" window and the reminder offsets. */
function ExpirySettings() {
  const [expiring, setExpiring] = useState("");
  const [offsets, setOffsets] = useState("");
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  const show = (s: Settings) => {
    setExpiring(String(s.expiring_window_days));
    setOffsets(s.reminder_offsets_days.join(", "));
  };
  useEffect(() => {
    api.get("/api/v1/credential-settings").then(show, (e) => setError(asApiError(e)));
  }, []);
  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    const days = offsets
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    try {
      show(await api.put("/api/v1/credential-settings", { body: { expiring_window_days: Number(expiring), reminder_offsets_days: days } }));
      setSaved(true);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Panel title="Expiry and reminders" lead="When a credential counts as expiring, and when the worker and their supervisor are reminded (the HSE managers too, once it has expired).">
      {saved ? (
        <Notice tone="success">
          <p>Saved.</p>
        </Notice>
      ) : null}
      {error && !error.fields.expiring_window_days && !error.fields.reminder_offsets_days ? <FormError message={error.message} requestId={error.requestId} /> : null}
      <form class="form-grid" onSubmit={save}>
        <Field label="Expiring within (days)" name="window" value={expiring} onValue={setExpiring} inputmode="numeric" error={error?.fields.expiring_window_days} />
        <Field label="Remind (days before expiry)" name="offsets" value={offsets} onValue={setOffsets} hint="For example 30, 7, 0 (0: on the day)." error={error?.fields.reminder_offsets_days} />
        <div class="row">
          <button type="submit" class="button">
            Save
          </button>
        </div>
      </form>
    </Panel>
  );
}

export function CredentialTypesPage() {
  const me = useMe();
  const manage = can(me, "credentials.manage");
  const [types, setTypes] = useState<CredentialType[] | undefined>();
  const [starters, setStarters] = useState<Starter[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [months, setMonths] = useState("36");

  const load = async () => {
    try {
      const [list, starter] = await Promise.all([api.get("/api/v1/credential-types"), api.get("/api/v1/credential-types/starter")]);
      setTypes(list);
      setStarters(starter);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const run = async (message: string, change: () => Promise<unknown>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await change();
      setNotice(message);
      await load();
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    }
  };
  const add = async (event: Event) => {
    event.preventDefault();
    const body = { code, name, ...(months ? { validity_months: Number(months) } : {}) };
    if (await run(`${name} added.`, () => api.post("/api/v1/credential-types", { body }))) {
      setCode("");
      setName("");
    }
  };
  const missing = starters.filter((s) => !s.adopted);

  return (
    <div class="page">
      <h1>Credential types</h1>
      <p class="page-lead">What your organisation tracks. Badges carry each type's short code; gates show its name.</p>
      {notice ? (
        <Notice tone="success">
          <p>{notice}</p>
        </Notice>
      ) : null}
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      <Panel title="Your types" lead={types ? `${types.filter((t) => !t.archived).length} in use` : undefined}>
        {!types ? (
          <Spinner label="Loading…" />
        ) : types.length ? (
          <table class="table" data-testid="types">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Code</th>
                <th scope="col">Usual validity</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {types.map((t) => (
                <tr key={t.type_id}>
                  <td>
                    {t.name} {t.archived ? <Badge tone="muted">Archived</Badge> : null}
                    {t.description ? <div class="muted small">{t.description}</div> : null}
                  </td>
                  <td class="mono">{t.code}</td>
                  <td>{validity(t.validity_months)}</td>
                  <td class="actions">
                    {manage ? (
                      <button type="button" class="button button-small button-secondary" onClick={() => void run(`${t.name} ${t.archived ? "restored" : "archived"}.`, () => api.patch("/api/v1/credential-types/{type_id}", { path: { type_id: t.type_id }, body: { archived: !t.archived } }))}>
                        {t.archived ? "Restore" : "Archive"}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">No types yet. Start from the catalogue below.</p>
        )}
      </Panel>
      {manage && missing.length ? (
        <Panel
          title="Starter catalogue"
          lead="Types most industrial employers track, with their usual validity."
          actions={
            <button type="button" class="button" onClick={() => void run(`${missing.length} types added.`, () => api.post("/api/v1/credential-types/starter", { body: {} }))}>
              Add all {missing.length}
            </button>
          }
        >
          <ul class="catalogue">
            {missing.map((s) => (
              <li key={s.code}>
                <div>
                  <strong>{s.name}</strong> <span class="muted small mono">{s.code}</span>
                  <div class="muted small">
                    {s.description} {validity(s.validity_months)}.
                  </div>
                </div>
                <button type="button" class="button button-small" onClick={() => void run(`${s.name} added.`, () => api.post("/api/v1/credential-types/starter", { body: { codes: [s.code] } }))}>
                  Add
                </button>
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
      {manage ? <ExpirySettings /> : null}
      {manage ? (
        <Panel title="Add a type of your own">
          <form class="form-grid" onSubmit={add}>
            <Field label="Name" name="type-name" value={name} onValue={setName} required error={error?.fields.name} />
            <Field label="Code" name="type-code" value={code} onValue={(v) => setCode(v.toUpperCase())} required hint="2–8 letters or digits, e.g. CRANE." error={error?.fields.code} />
            <Field label="Usual validity (months)" name="type-months" value={months} onValue={setMonths} inputmode="numeric" hint="Empty or 0: does not expire." error={error?.fields.validity_months} />
            <div class="row">
              <button type="submit" class="button">
                Add type
              </button>
            </div>
          </form>
        </Panel>
      ) : null}
    </div>
  );
}
