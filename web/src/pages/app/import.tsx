import { useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError } from "../../components/form";
import { Badge, Notice, Panel } from "../../components/ui";
import { save } from "../../download";
import { can, useMe } from "../../me";
import { Link } from "../../router";
import { readLines } from "../../session";
import { api, type Schema } from "../../api/client";

type Report = Schema<"ImportReportView">;
type Line = Schema<"ImportLine">;

const STAGES: Record<string, string> = { read: "File read", checked: "Rows checked", written: "Writing" };

type Kind = "credentials" | "workers";

const KINDS: Record<Kind, { label: string; lead: string; template: string; columns: [string, string][]; changed: string }> = {
  credentials: {
    label: "Credentials",
    lead: "One row per credential.",
    template: "email,credential,issuer,issued_on,expires_on,number,notes\nliam.chen@northwind.example,WAH,IHSA,2026-01-10,2029-01-10,WAH-12345,\n",
    columns: [
      ["email", "The worker's email address in Attest."],
      ["credential", "The credential type's code (e.g. WAH) or its exact name."],
      ["issuer", "Who issued it."],
      ["issued_on", "YYYY-MM-DD (or a date cell in Excel)."],
      ["expires_on", "Optional. Empty: the type's usual validity. \"never\": it does not expire."],
      ["number", "Optional. The certificate number (stored encrypted)."],
      ["notes", "Optional (stored encrypted)."],
    ],
    changed: "renewed",
  },
  workers: {
    label: "Workers",
    lead: "One row per person. New addresses become workers and get an invitation.",
    template: "email,name,crew,job_role\nnew.worker@northwind.example,New Worker,Tower framing,Carpenter\n",
    columns: [
      ["email", "Their email address (their sign-in)."],
      ["name", "Their name as shown in Attest."],
      ["crew", "Optional. An existing crew to put them in (needs the right to manage crews)."],
      ["job_role", "Optional. An existing job role (needs the right to manage credentials)."],
    ],
    changed: "updated",
  },
};

export function ImportPage() {
  const me = useMe();
  const kinds = (Object.keys(KINDS) as Kind[]).filter((k) => (k === "credentials" ? can(me, "credentials.manage") : can(me, "people.manage") || can(me, "crews.manage") || can(me, "credentials.manage")));
  const [chosen, setKind] = useState<Kind | undefined>();
  const kind: Kind = chosen ?? kinds[0] ?? "credentials";
  const spec = KINDS[kind];
  const [file, setFile] = useState<File | undefined>();
  const [progress, setProgress] = useState<{ stage: string; done: number; total: number } | undefined>();
  const [result, setResult] = useState<{ status: string; report: Report } | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    setProgress({ stage: "upload", done: 0, total: 0 });
    try {
      const options = { query: { dry_run: dryRun } };
      const response = await (kind === "credentials"
        ? api.send("/api/v1/imports/credentials", file, options)
        : api.send("/api/v1/imports/workers", file, options));
      await readLines(response, (raw) => {
        const line = raw as Line;
        if (line.type === "progress") setProgress(line);
        else if (line.type === "result") setResult(line);
        else setError(asApiError(new Error(line.message)));
      });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  };

  const report = result?.report;
  const percent = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div class="page">
      <h1>Import</h1>
      <p class="page-lead">
        From a CSV (UTF-8) or Excel (.xlsx) file. Attest checks every row first; if any row has a problem, nothing is imported and you see each one. Importing the same file again changes nothing.
      </p>
      {kinds.length > 1 ? (
        <div class="row" role="radiogroup" aria-label="What to import">
          {kinds.map((k) => (
            <label key={k} class="check">
              <input
                type="radio"
                name="kind"
                checked={k === kind}
                onChange={() => {
                  setKind(k);
                  setResult(undefined);
                }}
              />{" "}
              {KINDS[k].label}
            </label>
          ))}
        </div>
      ) : null}
      <Panel title={`1. Choose the file of ${spec.label.toLowerCase()}`} lead={`${spec.lead} Columns (headers in any order and case):`}>
        <table class="table table-compact">
          <tbody>
            {spec.columns.map(([name, what]) => (
              <tr key={name}>
                <th scope="row" class="mono">
                  {name}
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="row">
          <label class="file-pick">
            <span class="visually-hidden">File to import</span>
            <input
              type="file"
              name="import-file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => {
                setFile((e.target as HTMLInputElement).files?.[0]);
                setResult(undefined);
              }}
            />
          </label>
          <button type="button" class="link-button" onClick={() => save([spec.template], `${kind}-template.csv`, "text/csv")}>
            Download a template
          </button>
        </div>
      </Panel>
      <Panel title="2. Check, then import">
        <div class="row">
          <button type="button" class="button button-secondary" disabled={!file || busy} onClick={() => void run(true)}>
            Check the file
          </button>
          <button type="button" class="button" disabled={!file || busy || result?.status !== "checked"} onClick={() => void run(false)}>
            Import {result?.status === "checked" && report ? `${report.rows} rows` : ""}
          </button>
        </div>
        {progress ? (
          <div class="import-progress" data-testid="import-progress" role="status">
            <span>{STAGES[progress.stage] ?? "Uploading"}…</span>
            <progress max={100} value={percent} aria-label="Import progress" />
            {progress.total ? (
              <span class="muted small">
                {progress.done} / {progress.total} rows
              </span>
            ) : null}
          </div>
        ) : null}
        {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
        {result && report ? (
          <div data-testid="import-result">
            {result.status === "refused" ? (
              <Notice tone="error">
                <p>
                  Nothing was imported: {report.problems.length} problem{report.problems.length === 1 ? "" : "s"} in {report.rows} rows. Fix them in the file and check it again.
                </p>
              </Notice>
            ) : result.status === "checked" ? (
              <Notice tone="info">
                <p>Every row is fine. Nothing has been written yet: import when ready.</p>
              </Notice>
            ) : (
              <Notice tone="success">
                <p>
                  Imported. <Link href="/app/readiness">See readiness</Link>.
                </p>
              </Notice>
            )}
            <p class="chips">
              <Badge tone="ok">{report.added} new</Badge>
              <Badge tone="info">
                {report.renewed ?? report.updated ?? 0} {spec.changed}
              </Badge>
              <Badge tone="muted">{report.unchanged} unchanged</Badge>
            </p>
            {report.problems.length ? (
              <table class="table" data-testid="import-problems">
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Column</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.map((p, i) => (
                    <tr key={i}>
                      <td>{p.row}</td>
                      <td class="mono">{p.column}</td>
                      <td>{p.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </div>
        ) : null}
      </Panel>
    </div>
  );
}
