// The requisition checker without an account: the text is analysed in memory and never stored.

import { useState } from "preact/hooks";
import type { ApiError } from "../api";
import { anonymous } from "../api/client";
import { asApiError } from "../components/errors";
import { FormError, TextArea } from "../components/form";
import { ProblemSummary, RequisitionFields } from "../components/requisition-fields";
import { FindingsReport, ReportSummary } from "../components/requisition-report";
import { Notice } from "../components/ui";
import { EMPTY_DRAFT, type FieldsDraft, type PublicReport, fieldsOf } from "../requisitions";
import { Link } from "../router";

export function AnalyzePage() {
  const [text, setText] = useState("");
  const [draft, setDraft] = useState<FieldsDraft>(EMPTY_DRAFT);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ report: PublicReport; text: string } | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const checked = fieldsOf(draft);
    setProblems(checked.problems);
    if (Object.keys(checked.problems).length) return;
    setBusy(true);
    try {
      const body = Object.keys(checked.fields).length ? { text, fields: checked.fields } : { text };
      const report = await anonymous.post("/api/v1/public/analyze", { body });
      setResult({ report, text });
      setTimeout(() => document.getElementById("results")?.scrollIntoView({ behavior: "smooth", block: "start" }), 0);
    } catch (e) {
      const err = asApiError(e);
      setError(err);
      setProblems(err.fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="public-page">
      <h1>Check a job posting</h1>
      <p class="lead">
        Paste a job requisition or posting to see potential compliance concerns — pay transparency, criminal history, age, national origin, language and more, California first
        — each with its reason, the law it comes from and a suggested rewrite. No account needed.
      </p>
      <Notice tone="info">
        <p data-testid="privacy">
          <strong>Your text is analysed in memory and never stored.</strong> We keep only the severity counts and rule-pack version for 24 hours.
        </p>
      </Notice>
      <form class="panel" onSubmit={submit} noValidate aria-label="Check a job posting">
        <TextArea
          label="Text of the posting"
          name="text"
          value={text}
          onValue={setText}
          rows={10}
          required
          placeholder="Warehouse associate in Fresno. Recent college graduates preferred…"
          error={problems.text}
        />
        <details class="req-optional">
          <summary>Add details about the job (optional): state, employer size, pay range</summary>
          <RequisitionFields draft={draft} onDraft={setDraft} errors={problems} short />
        </details>
        {error?.code === "rate_limited" ? (
          <div class="alert alert-error" role="alert" data-testid="rate-limited">
            <p>
              <strong>You have checked several postings in a short time.</strong> To keep the checker free for everyone, please wait a minute and try again. {error.message}
            </p>
          </div>
        ) : error && error.code !== "validation_failed" ? (
          <FormError message={error.message} requestId={error.requestId} />
        ) : (
          <ProblemSummary problems={problems} />
        )}
        <div class="row">
          <button type="submit" class="button" disabled={busy}>
            {busy ? "Analysing…" : "Analyse"}
          </button>
        </div>
      </form>
      {result ? (
        <div id="results" class="public-results" data-testid="results">
          <h2 class="public-results-title">Results</h2>
          <ReportSummary score={result.report.summary.score} counts={result.report.summary} disclaimer={result.report.disclaimer}>
            <p class="req-summary-line muted">Rule pack {result.report.rule_pack_version}. Nothing of your text was kept.</p>
          </ReportSummary>
          <FindingsReport text={result.text} findings={result.report.findings} />
          <div class="panel public-cta">
            <div>
              <h2>Review postings with your team</h2>
              <p class="muted">With an Attest account, requisitions are kept per organisation, compliance reviewers accept or dismiss each concern, and every version and decision is on the record.</p>
            </div>
            <div class="row">
              <Link href="/sign-in" class="button button-secondary">
                Sign in
              </Link>
              <Link href="/sign-up" class="button">
                Create an organisation
              </Link>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
