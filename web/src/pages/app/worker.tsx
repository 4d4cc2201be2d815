import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError } from "../../components/form";
import { Badge, Notice, Panel, Spinner, when } from "../../components/ui";
import {
  type Credential,
  type CredentialDetail,
  type CredentialType,
  GAP_LABELS,
  type JobRole,
  STATUS_LABELS,
  STATUS_TONES,
  type WorkerDetail,
  day,
  relative,
} from "../../credentials";
import { save } from "../../download";
import { can, useMe } from "../../me";
import { api } from "../../api/client";
import { CredentialForm } from "./credential-form";

type Action = { kind: "renew" | "suspend" | "revoke"; credential: Credential } | { kind: "add" };

export function WorkerPage({ workerId }: { workerId: string }) {
  const me = useMe();
  const manage = can(me, "credentials.manage");
  const own = me?.user_id === workerId;
  const [worker, setWorker] = useState<WorkerDetail | undefined>();
  const [types, setTypes] = useState<CredentialType[]>([]);
  const [jobRoles, setJobRoles] = useState<JobRole[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [action, setAction] = useState<Action | undefined>();
  const [open, setOpen] = useState<string | undefined>();

  const load = async () => {
    try {
      setWorker(await api.get("/api/v1/workers/{worker_id}", { path: { worker_id: workerId } }));
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => {
    void load();
    if (manage) {
      api.get("/api/v1/credential-types").then(setTypes, () => undefined);
      api.get("/api/v1/job-roles").then(setJobRoles, () => undefined);
    }
  }, [workerId, manage]);

  const done = (message: string) => {
    setAction(undefined);
    setNotice(message);
    setOpen(undefined);
    void load();
  };
  const setJobRole = async (jobRoleId: string) => {
    try {
      await api.put("/api/v1/workers/{worker_id}/job-role", { path: { worker_id: workerId }, body: { job_role_id: jobRoleId || null } });
      done("Job role changed.");
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const reinstate = async (c: Credential) => {
    try {
      await api.post("/api/v1/credentials/{credential_id}/reinstate", { path: { credential_id: c.credential_id }, body: {} });
      done(`${c.type_name} reinstated.`);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  if (error && !worker) return <FormError message={error.message} requestId={error.requestId} />;
  if (!worker) return <Spinner label="Loading…" />;
  const held = new Set(worker.credentials.map((c) => c.type_id));
  const addable = types.filter((t) => !t.archived && !held.has(t.type_id));
  const assigned = worker.sites.filter((s) => s.assigned);
  return (
    <div class="page">
      <div class="page-title">
        <h1>{own ? "My credentials" : worker.name}</h1>
        {worker.cleared ? <Badge tone="ok">Cleared for work</Badge> : <Badge tone="bad">Not cleared</Badge>}
      </div>
      <p class="page-lead">
        {worker.crews.length ? `Crew: ${worker.crews.map((c) => c.name).join(", ")}. ` : "In no crew. "}
        {manage && !own ? (
          <label>
            Job role:{" "}
            <select aria-label="Job role" value={worker.job_role?.id ?? ""} onChange={(e) => void setJobRole((e.target as HTMLSelectElement).value)}>
              <option value="">None</option>
              {jobRoles.map((j) => (
                <option key={j.job_role_id} value={j.job_role_id}>
                  {j.name}
                </option>
              ))}
            </select>
          </label>
        ) : worker.job_role ? (
          `Job role: ${worker.job_role.name}.`
        ) : null}
      </p>
      {notice ? (
        <Notice tone="success">
          <p>{notice}</p>
        </Notice>
      ) : null}
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      <Panel
        title={own ? "Where you may work" : "Where they may work"}
        lead={assigned.length ? (own ? "Your crews' sites first; every other site below, with what it would take." : "Sites of their crews first; every other site below.") : "Every site, and what each would need."}
      >
        <ul class="clearances" data-testid="clearances">
          {[...assigned, ...worker.sites.filter((s) => !s.assigned)].map((s) => (
            <li key={s.site_id} class={s.assigned ? "assigned" : ""}>
              <span class="site-name">
                {s.name}
                {s.assigned ? <span class="muted small"> · assigned</span> : null}
              </span>
              {s.cleared ? (
                <Badge tone="ok">Cleared</Badge>
              ) : (
                <span class="chips">
                  {s.gaps.map((g) => (
                    <Badge key={g.type_id} tone={g.reason === "missing" ? "warn" : "bad"}>
                      {g.type_name}: {GAP_LABELS[g.reason]}
                    </Badge>
                  ))}
                </span>
              )}
            </li>
          ))}
        </ul>
        {worker.job_role_gaps.length ? (
          <p class="muted small">
            {own ? "Your" : "Their"} job role also needs: {worker.job_role_gaps.map((g) => `${g.type_name} (${GAP_LABELS[g.reason]})`).join(", ")}.
          </p>
        ) : null}
      </Panel>
      <Panel
        title="Credentials"
        lead={`${worker.credentials.length} on record`}
        actions={
          manage && addable.length && action?.kind !== "add" ? (
            <button type="button" class="button" onClick={() => setAction({ kind: "add" })}>
              Add a credential
            </button>
          ) : null
        }
      >
        {action?.kind === "add" ? <CredentialForm workerId={workerId} types={addable} onDone={done} onCancel={() => setAction(undefined)} /> : null}
        {worker.credentials.length ? (
          <table class="table" data-testid="credentials">
            <thead>
              <tr>
                <th scope="col">Credential</th>
                <th scope="col">Issued by</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {worker.credentials.map((c) => (
                <CredentialRow
                  key={c.credential_id}
                  credential={c}
                  manage={manage}
                  open={open === c.credential_id}
                  onToggle={() => setOpen(open === c.credential_id ? undefined : c.credential_id)}
                  onAction={(kind) => setAction({ kind, credential: c })}
                  onReinstate={() => void reinstate(c)}
                  action={action && action.kind !== "add" && action.credential.credential_id === c.credential_id ? action.kind : undefined}
                  workerId={workerId}
                  onDone={done}
                  onCancel={() => setAction(undefined)}
                />
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">No credentials on record yet.</p>
        )}
      </Panel>
    </div>
  );
}

function CredentialRow(props: {
  credential: Credential;
  manage: boolean;
  open: boolean;
  onToggle: () => void;
  onAction: (kind: "renew" | "suspend" | "revoke") => void;
  onReinstate: () => void;
  action: "renew" | "suspend" | "revoke" | undefined;
  workerId: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const c = props.credential;
  return (
    <>
      <tr data-testid={`credential-${c.type_code}`}>
        <td>
          <button type="button" class="link-button" aria-expanded={props.open} onClick={props.onToggle}>
            {c.type_name}
          </button>{" "}
          <span class="muted small mono">{c.type_code}</span>
        </td>
        <td>{c.issuer}</td>
        <td class="nowrap">
          {day(c.expires_on)}
          {c.days_left !== null ? <span class="muted small"> ({relative(c.days_left)})</span> : null}
        </td>
        <td>
          <Badge tone={STATUS_TONES[c.status]}>{STATUS_LABELS[c.status]}</Badge>
          {c.state_reason ? <div class="muted small">{c.state_reason}</div> : null}
        </td>
        <td class="actions">
          {props.manage ? (
            <>
              <button type="button" class="button button-small" onClick={() => props.onAction("renew")}>
                Renew
              </button>
              {c.status === "suspended" ? (
                <button type="button" class="button button-small button-secondary" onClick={props.onReinstate}>
                  Reinstate
                </button>
              ) : c.status !== "revoked" ? (
                <button type="button" class="button button-small button-secondary" onClick={() => props.onAction("suspend")}>
                  Suspend
                </button>
              ) : null}
              {c.status !== "revoked" ? (
                <button type="button" class="button button-small button-danger" onClick={() => props.onAction("revoke")}>
                  Revoke
                </button>
              ) : null}
            </>
          ) : null}
        </td>
      </tr>
      {props.action ? (
        <tr>
          <td colSpan={5}>
            {props.action === "renew" ? (
              <CredentialForm workerId={props.workerId} credentialId={c.credential_id} defaultIssuer={c.issuer} onDone={props.onDone} onCancel={props.onCancel} />
            ) : (
              <StateForm credential={c} kind={props.action} onDone={props.onDone} onCancel={props.onCancel} />
            )}
          </td>
        </tr>
      ) : null}
      {props.open ? (
        <tr>
          <td colSpan={5}>
            <History credentialId={c.credential_id} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function StateForm({ credential, kind, onDone, onCancel }: { credential: Credential; kind: "suspend" | "revoke"; onDone: (m: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiError | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const options = { path: { credential_id: credential.credential_id }, body: { reason } };
      await (kind === "suspend" ? api.post("/api/v1/credentials/{credential_id}/suspend", options) : api.post("/api/v1/credentials/{credential_id}/revoke", options));
      onDone(`${credential.type_name} ${kind === "suspend" ? "suspended" : "revoked"}.`);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <form class="card inline-card" onSubmit={submit} aria-label={`${kind === "suspend" ? "Suspend" : "Revoke"} ${credential.type_name}`}>
      {error ? <FormError message={error.fields.reason ?? error.message} requestId={error.requestId} /> : null}
      <div class="field">
        <label for="reason">Why? (the worker sees this; it is kept in the audit ledger)</label>
        <input id="reason" name="reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} required />
      </div>
      <p class="muted small">{kind === "revoke" ? "Revocation is final: only a renewal replaces a revoked credential." : "A suspended credential stops counting until it is reinstated or renewed."}</p>
      <div class="row">
        <button type="submit" class={kind === "revoke" ? "button button-danger" : "button"}>
          {kind === "suspend" ? "Suspend" : "Revoke"}
        </button>
        <button type="button" class="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function History({ credentialId }: { credentialId: string }) {
  const [detail, setDetail] = useState<CredentialDetail | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    api.get("/api/v1/credentials/{credential_id}", { path: { credential_id: credentialId } }).then(setDetail, (e) => setError(asApiError(e)));
  }, [credentialId]);
  const download = async (evidenceId: string) => {
    try {
      const response = await api.stream("/api/v1/evidence/{evidence_id}", { path: { evidence_id: evidenceId } });
      const type = response.headers.get("content-type") ?? "application/octet-stream";
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "evidence";
      save([await response.arrayBuffer()], name, type);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  if (error) return <FormError message={error.message} requestId={error.requestId} />;
  if (!detail) return <Spinner label="Loading history…" />;
  return (
    <div class="history" data-testid="history">
      <table class="table table-compact">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Issued by</th>
            <th scope="col">Issued</th>
            <th scope="col">Expires</th>
            {detail.personal ? <th scope="col">Number</th> : null}
            {detail.personal ? <th scope="col">Evidence</th> : null}
            <th scope="col">Recorded</th>
          </tr>
        </thead>
        <tbody>
          {detail.history.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{v.issuer}</td>
              <td>{day(v.issued_on)}</td>
              <td>{day(v.expires_on)}</td>
              {detail.personal ? <td class="mono">{v.personal?.number ?? "—"}</td> : null}
              {detail.personal ? (
                <td>
                  {v.personal?.evidence_id ? (
                    <button type="button" class="link-button" onClick={() => void download(v.personal?.evidence_id ?? "")}>
                      Download
                    </button>
                  ) : (
                    "—"
                  )}
                </td>
              ) : null}
              <td class="muted small">{when(v.recorded_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {detail.personal?.notes ? <p class="small">Notes: {detail.personal.notes}</p> : null}
      {detail.personal ? null : <p class="muted small">Certificate numbers, notes and evidence are visible to the worker and HSE managers only.</p>}
    </div>
  );
}
