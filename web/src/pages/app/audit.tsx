import { useEffect, useState } from "preact/hooks";
import { save } from "../../download";
import type { ApiError } from "../../api";
import { ACTION_GROUPS, RESOURCE_TYPES, actionLabel } from "../../audit-labels";
import { asApiError } from "../../components/errors";
import { Field, FormError, SelectField } from "../../components/form";
import { Badge, Notice, Panel, Spinner, when } from "../../components/ui";
import { can, roleName, useMe, type Me } from "../../me";
import { api, type Schema } from "../../api/client";

type AuditEvent = Schema<"EventView">;
type Checkpoint = Schema<"CheckpointView">;
type Member = Pick<Schema<"MemberView">, "user_id" | "display_name" | "email">;

/** A date input's day as the start of that day, in the person's time zone, in RFC 3339. */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
}

export function AuditPage() {
  const me = useMe();
  const [members, setMembers] = useState<Map<string, Member>>(new Map());
  const wholeOrg = can(me, "audit.read.org");
  useEffect(() => {
    if (!me || !can(me, "people.read.org")) return;
    api.get("/api/v1/members")
      .then((list) => setMembers(new Map(list.map((m) => [m.user_id, m]))))
      .catch(() => undefined);
  }, [me]);
  if (!me) return <Spinner label="Loading…" />;
  return (
    <div class="page">
      <h1>{wholeOrg ? "Audit ledger" : "Your activity record"}</h1>
      <p class="page-lead">
        {wholeOrg
          ? "Every sign-in, change of role or membership, change of policy and export in your organisation, in a tamper-evident log: each event is sealed into a Merkle tree whose signed checkpoints prove that nothing was changed, removed or reordered."
          : "What you did in Attest, and what others did about your account: sign-ins, security changes, changes of role. The same record your organisation's auditors see about you."}
      </p>
      {wholeOrg ? (
        <div class="grid grid-wide">
          <Integrity />
          {can(me, "audit.export") ? <Export slug={me.organisation.slug} /> : null}
        </div>
      ) : null}
      <Timeline me={me} members={members} wholeOrg={wholeOrg} />
    </div>
  );
}

function Integrity() {
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    api.get("/api/v1/audit/checkpoint")
      .then(setCheckpoint)
      .catch((e: unknown) => {
        const err = asApiError(e);
        if (err.status === 404) setCheckpoint(null);
        else setError(err);
      });
  }, []);
  const copy = async (text: string) => {
    await navigator.clipboard.writeText(text).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <Panel title="Integrity" lead="The latest signed checkpoint of your organisation's log.">
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      {checkpoint === undefined && !error ? <Spinner label="Loading the checkpoint…" /> : null}
      {checkpoint === null ? <p class="muted">Nothing has been recorded yet.</p> : null}
      {checkpoint ? (
        <>
          <dl class="facts" data-testid="checkpoint">
            <dt>Events sealed</dt>
            <dd>
              <Badge tone="ok">{checkpoint.size.toLocaleString()}</Badge>
            </dd>
            <dt>Signed</dt>
            <dd>{when(checkpoint.signed_at)}</dd>
            <dt>Root hash</dt>
            <dd class="mono" title={checkpoint.root}>
              {checkpoint.root.slice(0, 16)}…
            </dd>
          </dl>
          <p class="small muted">Publish or keep this key: verification against it proves an export came from your organisation's log.</p>
          <code class="key-box" data-testid="vkey">
            {checkpoint.vkey}
          </code>
          <div class="row">
            <button type="button" class="button button-small button-secondary" onClick={() => copy(checkpoint.vkey)}>
              {copied ? "Copied" : "Copy key"}
            </button>
            <button
              type="button"
              class="button button-small button-secondary"
              onClick={() => save([checkpoint.note], `attest-checkpoint-${checkpoint.size}.txt`, "text/plain")}
            >
              Download checkpoint
            </button>
          </div>
          <p class="small muted">Keep checkpoints: a later export must extend them, which shows that no earlier event was rewritten.</p>
        </>
      ) : null}
    </Panel>
  );
}

function Export({ slug }: { slug: string }) {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [format, setFormat] = useState("jsonl");
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [saved, setSaved] = useState<{ name: string; events: number; format: string } | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  const run = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setSaved(undefined);
    try {
      const response = await api.stream("/api/v1/audit/export", { query: { from: dayStart(from), to: dayStart(to, 1), format } });
      const total = Number(response.headers.get("x-export-events") ?? "0");
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `attest-audit-${slug}.${format}`;
      setProgress({ done: 0, total });
      const reader = response.body?.getReader();
      const parts: BlobPart[] = [];
      let lines = 0;
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        for (const byte of value) if (byte === 10) lines += 1;
        // The first line is the header (JSON Lines) or the column names (CSV).
        setProgress({ done: Math.max(0, Math.min(total, lines - 1)), total });
      }
      if (lines - 1 < total) throw new Error("The export stopped before the end. Try again.");
      save(parts, name, format === "csv" ? "text/csv" : "application/x-ndjson");
      setSaved({ name, events: total, format });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <Panel title="Export" lead="A time range of the log, to hand to an auditor or regulator.">
      <form noValidate onSubmit={run} class="inline-form">
        {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
        <Field label="From" name="export-from" type="date" value={from} onValue={setFrom} error={error?.fields.from} />
        <Field label="To (inclusive)" name="export-to" type="date" value={to} onValue={setTo} error={error?.fields.to} />
        <SelectField
          label="Format"
          name="export-format"
          value={format}
          onValue={setFormat}
          options={[
            { value: "jsonl", label: "JSON Lines" },
            { value: "csv", label: "CSV" },
          ]}
          hint={format === "jsonl" ? "With the checkpoint and proofs: verifiable offline." : "For spreadsheets: readable, not verifiable."}
          error={error?.fields.format}
        />
        <button type="submit" class="button" disabled={progress !== undefined}>
          {progress ? "Exporting…" : "Export"}
        </button>
      </form>
      {progress ? (
        <div class="export-progress" role="status">
          <progress max={progress.total || 1} value={progress.done} aria-label="Export progress" />
          <span>
            {progress.done.toLocaleString()} of {progress.total.toLocaleString()} events
          </span>
        </div>
      ) : null}
      {saved ? (
        <Notice tone="success">
          <p>
            Saved {saved.name}: {saved.events.toLocaleString()} events.
          </p>
          {saved.format === "jsonl" ? (
            <p class="small">
              Anyone can check it offline, without Attest's servers: <code>attest audit verify {saved.name} --key KEY</code> with the key under Integrity.
            </p>
          ) : (
            <p class="small">The CSV is for reading; the JSON Lines export is the one that proves integrity.</p>
          )}
        </Notice>
      ) : null}
    </Panel>
  );
}

function Timeline({ me, members, wholeOrg }: { me: Me; members: Map<string, Member>; wholeOrg: boolean }) {
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [resourceType, setResourceType] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [events, setEvents] = useState<AuditEvent[] | undefined>();
  const [next, setNext] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  // A filter left empty is not sent.
  const filters = { actor: actor || undefined, action: action || undefined, resource_type: resourceType || undefined, from: dayStart(from), to: dayStart(to, 1), limit: 50 };
  const load = async (before?: number) => {
    setError(undefined);
    try {
      const page = await api.get("/api/v1/audit/events", { query: { ...filters, before } });
      setEvents((previous) => (before !== undefined && previous ? [...previous, ...page.events] : page.events));
      setNext(page.next ?? null);
    } catch (e) {
      setError(asApiError(e));
      if (before === undefined) setEvents([]);
    }
  };
  useEffect(() => {
    setEvents(undefined);
    void load();
  }, [actor, action, resourceType, from, to]);

  const person = (id?: string | null) => {
    if (!id) return "";
    if (id === me.user_id) return "You";
    return members.get(id)?.display_name ?? `Member ${id.slice(0, 8)}`;
  };
  const who = (e: AuditEvent) => {
    if (e.actor_kind === "system") return "Attest";
    if (e.actor_kind === "anonymous") return "Someone not signed in";
    return person(e.actor_user_id);
  };

  return (
    <Panel title={wholeOrg ? "Events" : "Your events"} lead="Newest first. Times are shown in your time zone and kept in UTC.">
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter events">
        {wholeOrg && members.size > 0 ? (
          <SelectField
            label="Who"
            name="filter-actor"
            value={actor}
            onValue={setActor}
            options={[{ value: "", label: "Anyone" }, ...[...members.values()].map((m) => ({ value: m.user_id, label: m.display_name }))]}
          />
        ) : null}
        <SelectField label="Action" name="filter-action" value={action} onValue={setAction} options={ACTION_GROUPS} />
        <SelectField label="Resource" name="filter-resource" value={resourceType} onValue={setResourceType} options={RESOURCE_TYPES} />
        <Field label="From" name="filter-from" type="date" value={from} onValue={setFrom} error={error?.fields.from} />
        <Field label="To (inclusive)" name="filter-to" type="date" value={to} onValue={setTo} error={error?.fields.to} />
      </form>
      {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
      {!events ? (
        <Spinner label="Loading events…" />
      ) : events.length === 0 ? (
        <p class="muted" data-testid="no-events">
          No events match.
        </p>
      ) : (
        <table class="table" data-testid="audit-events">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">From</th>
              <th scope="col">Seq</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.event_id}>
                <td class="nowrap" title={e.occurred_at}>
                  {when(e.occurred_at)}
                </td>
                <td>
                  <div class="person">{who(e)}</div>
                  {e.actor_role ? <div class="muted small">{roleName(e.actor_role)}</div> : null}
                </td>
                <td>
                  <div>{actionLabel(e.action)}</div>
                  <div class="muted small">
                    <code>{e.action}</code>
                    {e.subject_user_id && e.subject_user_id !== e.actor_user_id ? ` · about ${person(e.subject_user_id)}` : ""}
                    {Object.keys(e.details).length ? ` · ${Object.entries(e.details).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ")}` : ""}
                  </div>
                </td>
                <td>
                  {e.source_ip ? <span class="mono">{e.source_ip}</span> : <span class="muted small">{e.actor_kind === "system" ? "—" : "erased"}</span>}
                </td>
                <td>{e.seq ? <span class="mono">#{e.seq}</span> : <Badge tone="info">sealing</Badge>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null && events?.length ? (
        <div class="row">
          <button
            type="button"
            class="button button-small button-secondary"
            disabled={loadingMore}
            onClick={async () => {
              setLoadingMore(true);
              await load(next);
              setLoadingMore(false);
            }}
          >
            {loadingMore ? "Loading…" : "Show older events"}
          </button>
        </div>
      ) : null}
    </Panel>
  );
}
