import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError } from "../../components/form";
import { Badge, Panel, Spinner, when } from "../../components/ui";
import { can, useMe } from "../../me";
import { type RequisitionSummary, SEVERITIES, SEVERITY_LABELS, SEVERITY_TONES, personName, scoreTone } from "../../requisitions";
import { Link } from "../../router";
import { api } from "../../api/client";

export function RequisitionsPage() {
  const me = useMe();
  const [list, setList] = useState<RequisitionSummary[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [filter, setFilter] = useState("");
  const [onlyOpen, setOnlyOpen] = useState(false);
  useEffect(() => {
    api.get("/api/v1/requisitions").then(setList, (e) => setError(asApiError(e)));
  }, []);
  const create = can(me, "requisitions.create");
  const wholeOrg = can(me, "requisitions.read.org");
  const reviewer = can(me, "requisitions.review");
  const needle = filter.trim().toLowerCase();
  const shown = (list ?? []).filter(
    (r) => (!onlyOpen || r.reviewed_count < r.finding_count) && (!needle || r.title.toLowerCase().includes(needle) || (r.author.name ?? "").toLowerCase().includes(needle)),
  );
  return (
    <div class="page">
      <div class="page-title">
        <h1>Requisitions</h1>
        {create ? (
          <Link href="/app/requisitions/new" class="button">
            New requisition
          </Link>
        ) : null}
      </div>
      <p class="page-lead">
        Job postings checked for potential compliance concerns before they go out, {reviewer ? "each concern for a compliance reviewer to accept or dismiss" : "with reasons, citations and suggested rewrites"}.
      </p>
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      {!list && !error ? <Spinner label="Loading requisitions…" /> : null}
      {list && !list.length ? (
        <Panel title="No requisitions yet">
          <p class="muted">
            {create
              ? "Paste a job posting or upload it as a text, Word or PDF file: Attest flags what could get you into trouble, explains why, and suggests a rewrite."
              : "When authors in your organisation submit requisitions, they appear here."}
          </p>
          {create ? (
            <Link href="/app/requisitions/new" class="button">
              Check your first requisition
            </Link>
          ) : null}
        </Panel>
      ) : null}
      {list?.length ? (
        <Panel title={wholeOrg ? "Your organisation's requisitions" : "Your requisitions"} lead={`${list.length} requisition${list.length === 1 ? "" : "s"}, most recently changed first`}>
          <div class="filters filters-inline">
            <label>
              <span class="visually-hidden">Find a requisition</span>
              <input type="search" placeholder="Find by title or author" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
            </label>
            <label class="check">
              <input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen((e.target as HTMLInputElement).checked)} /> Not fully reviewed only
            </label>
          </div>
          <table class="table" data-testid="requisitions">
            <thead>
              <tr>
                <th scope="col">Requisition</th>
                <th scope="col">Score</th>
                <th scope="col">Concerns</th>
                <th scope="col">Reviewed</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <Row key={r.requisition_id} r={r} />
              ))}
            </tbody>
          </table>
          {!shown.length ? <p class="muted">No requisition matches.</p> : null}
        </Panel>
      ) : null}
    </div>
  );
}

function Row({ r }: { r: RequisitionSummary }) {
  const a = r.analysis;
  const any = a.high + a.medium + a.low + a.info > 0;
  return (
    <tr>
      <td>
        <Link href={`/app/requisitions/${r.requisition_id}`} class="person">
          {r.title}
        </Link>
        <div class="muted small">
          {personName(r.author)} · version {r.version}
          {a.outdated ? " · older rule pack" : ""}
        </div>
      </td>
      <td>
        <span class={`score-badge score-badge-${scoreTone(a.score, a)}`} title={`Score ${a.score} out of 100`}>
          {a.score}
        </span>
      </td>
      <td>
        <span class="chips">
          {any
            ? SEVERITIES.filter((s) => a[s]).map((s) => (
                <Badge key={s} tone={SEVERITY_TONES[s]}>
                  {a[s]} {SEVERITY_LABELS[s].toLowerCase()}
                </Badge>
              ))
            : <Badge tone="ok">None</Badge>}
        </span>
      </td>
      <td class="nowrap">
        {r.finding_count ? (
          <span class={r.reviewed_count >= r.finding_count ? "reviewed-all" : undefined}>
            {r.reviewed_count} of {r.finding_count}
          </span>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td class="nowrap muted small">{when(r.updated_at)}</td>
    </tr>
  );
}
