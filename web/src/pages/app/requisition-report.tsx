import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError } from "../../components/form";
import { FindingsReport, ReportSummary } from "../../components/requisition-report";
import { Badge, Notice, Panel, Spinner, when } from "../../components/ui";
import { save } from "../../download";
import { type RequisitionDetail, SOURCE_LABELS, fieldsSummary, personName } from "../../requisitions";
import { Link } from "../../router";
import { api } from "../../api/client";
import { RequisitionEdit } from "./requisition-edit";
import { ReviewBox } from "./requisition-review";
import { RequisitionVersions } from "./requisition-versions";

export function RequisitionReportPage({ requisitionId }: { requisitionId: string }) {
  const [detail, setDetail] = useState<RequisitionDetail | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<string | undefined>();

  useEffect(() => {
    api.get("/api/v1/requisitions/{requisition_id}", { path: { requisition_id: requisitionId } }).then(setDetail, (e) => setError(asApiError(e)));
  }, [requisitionId]);

  useEffect(() => {
    if (detail) document.title = `${detail.title} · Attest`;
  }, [detail?.title]);

  if (!detail && error?.status === 404) {
    return (
      <div class="page">
        <Panel title="Requisition not found" lead="It does not exist, or it is not one you can see: authors see their own requisitions, compliance reviewers their organisation's.">
          <Link href="/app/requisitions" class="button button-secondary">
            All requisitions
          </Link>
        </Panel>
      </div>
    );
  }
  if (!detail && error) return <FormError message={error.message} requestId={error.requestId} />;
  if (!detail) return <Spinner label="Loading the requisition…" />;

  const d = detail;
  const run = async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    setError(undefined);
    setNotice(undefined);
    try {
      await action();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(undefined);
    }
  };
  const download = (format: "csv" | "pdf") =>
    run(format, async () => {
      const path = { requisition_id: d.requisition_id };
      const response = await (format === "csv"
        ? api.stream("/api/v1/requisitions/{requisition_id}/report.csv", { path })
        : api.stream("/api/v1/requisitions/{requisition_id}/report.pdf", { path }));
      const type = response.headers.get("content-type") ?? (format === "csv" ? "text/csv" : "application/pdf");
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `requisition-v${d.version}.${format}`;
      save([await response.arrayBuffer()], name, type);
    });
  const reanalyse = () =>
    run("analyse", async () => {
      setDetail(await api.post("/api/v1/requisitions/{requisition_id}/analyse", { path: { requisition_id: d.requisition_id } }));
      setNotice("Analysed again under the current rule pack. Decisions carried over to findings on the same words.");
    });
  const saved = (next: RequisitionDetail) => {
    setDetail(next);
    setEditing(false);
    setNotice(`Saved as version ${next.version} and analysed again. Reviewers' decisions carried over to findings on the same words.`);
    window.scrollTo(0, 0);
  };
  const facts = fieldsSummary(d.fields);
  const a = d.analysis;

  return (
    <div class="page page-wide">
      <p class="back-link">
        <Link href="/app/requisitions">← All requisitions</Link>
      </p>
      <div class="req-title">
        <h1>{d.title}</h1>
        <Badge tone="info">Version {d.version}</Badge>
      </div>
      <p class="page-lead req-meta" data-testid="requisition-meta">
        By {personName(d.author)} ·{" "}
        {d.file_name ? (
          <>
            from <span class="mono">{d.file_name}</span> ({(SOURCE_LABELS[d.source] ?? d.source).toLowerCase()})
          </>
        ) : (
          SOURCE_LABELS[d.source] ?? d.source
        )}{" "}
        · updated {when(d.updated_at)} · rule pack {a.rule_pack}
      </p>
      {facts.length ? (
        <p class="chips req-facts" aria-label="About the job">
          {facts.map((fact) => (
            <span key={fact} class="req-fact">
              {fact}
            </span>
          ))}
        </p>
      ) : null}
      <div class="row req-actions">
        {d.abilities.edit && !editing ? (
          <button type="button" class="button" onClick={() => setEditing(true)}>
            Edit
          </button>
        ) : null}
        <button type="button" class="button button-secondary" disabled={busy === "csv"} onClick={() => void download("csv")}>
          {busy === "csv" ? "Preparing…" : "Download CSV"}
        </button>
        <button type="button" class="button button-secondary" disabled={busy === "pdf"} onClick={() => void download("pdf")}>
          {busy === "pdf" ? "Preparing…" : "Download PDF"}
        </button>
      </div>
      {notice ? (
        <Notice tone="success">
          <p>{notice}</p>
        </Notice>
      ) : null}
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      {a.outdated ? (
        <Notice tone="info">
          <p>
            This version was analysed under rule pack {a.rule_pack}; the rules have changed since.{" "}
            {d.abilities.edit || d.abilities.review ? (
              <button type="button" class="button button-small" disabled={busy === "analyse"} onClick={() => void reanalyse()}>
                {busy === "analyse" ? "Analysing…" : "Analyse again"}
              </button>
            ) : (
              "Its author or a reviewer can analyse it again."
            )}
          </p>
        </Notice>
      ) : null}
      <ReportSummary score={a.score} counts={a} disclaimer={d.disclaimer}>
        <p class="req-summary-line">
          {d.finding_count ? (
            <>
              <strong>
                {d.reviewed_count} of {d.finding_count}
              </strong>{" "}
              reviewed
              {d.reviewed_count < d.finding_count ? (d.abilities.review ? ": accept or dismiss each concern below." : "; a compliance reviewer decides on each concern.") : "."}
            </>
          ) : null}{" "}
          <span class="muted">Analysed {when(d.analysed_at)}.</span>
        </p>
      </ReportSummary>
      {editing ? (
        <RequisitionEdit detail={d} onSaved={saved} onCancel={() => setEditing(false)} />
      ) : (
        <FindingsReport
          text={d.text}
          findings={d.findings}
          review={(f) => <ReviewBox key={`${f.fingerprint}-${f.review?.reviewed_at ?? ""}`} requisitionId={d.requisition_id} finding={f} canReview={d.abilities.review} onSaved={setDetail} />}
        />
      )}
      <RequisitionVersions requisitionId={d.requisition_id} current={d.version} />
    </div>
  );
}
