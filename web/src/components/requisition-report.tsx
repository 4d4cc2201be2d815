// The report of an analysis, shared by the signed-in requisition page and the public checker:
// the score and counts, the disclaimer, the text with its findings marked, and the finding cards.
// Clicking a mark selects its card, and a card's "Show in text" selects its mark.

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { type Counts, type Finding, SEVERITIES, SEVERITY_LABELS, SEVERITY_TONES, byPosition, categoryLabel, isMissing, scoreTone } from "../requisitions";
import { RequisitionText, cardId, markId } from "./requisition-text";
import { Badge } from "./ui";

/** The score, big and coloured, the counts by severity, and the disclaimer. */
export function ReportSummary({ score, counts, disclaimer, children }: { score: number; counts: Counts; disclaimer: string; children?: ComponentChildren }) {
  const tone = scoreTone(score, counts);
  const total = counts.high + counts.medium + counts.low + counts.info;
  return (
    <section class="req-summary" aria-label="Summary" data-testid="summary">
      <div class={`req-score req-score-${tone}`} data-testid="score">
        <span class="req-score-value">{score}</span>
        <span class="req-score-label">out of 100</span>
      </div>
      <div class="req-summary-body">
        <ul class="req-counts" aria-label="Concerns by severity">
          {SEVERITIES.map((s) => (
            <li key={s} class={`req-count req-count-${s}${counts[s] ? "" : " req-count-zero"}`} data-testid={`count-${s}`}>
              <span class="req-count-value">{counts[s]}</span>
              <span class="req-count-label">{SEVERITY_LABELS[s]}</span>
            </li>
          ))}
        </ul>
        <p class="req-summary-line">
          {total === 0 ? "No concerns found." : `${total} potential concern${total === 1 ? "" : "s"} to review.`} The score starts at 100 and loses 25 per high, 10 per
          medium and 3 per low concern.
        </p>
        {children}
      </div>
      <p class="req-disclaimer" role="note" data-testid="disclaimer">
        <strong>Not legal advice.</strong> {disclaimer}
      </p>
    </section>
  );
}

type FindingsProps = {
  text: string;
  findings: Finding[];
  /** The reviewer's part of each card, if any. */
  review?: (finding: Finding) => ComponentChildren;
};

function reveal(id: string) {
  const element = document.getElementById(id);
  if (!element) return;
  element.scrollIntoView({ behavior: "smooth", block: "center" });
  element.focus({ preventScroll: true });
}

/** The text with its findings marked, beside the findings' cards. */
export function FindingsReport({ text, findings, review }: FindingsProps) {
  const [selected, setSelected] = useState<string | undefined>();
  const ordered = byPosition(findings);
  const missing = ordered.filter(isMissing);
  const inText = ordered.filter((f) => !isMissing(f));
  const fromText = (fingerprint: string) => {
    setSelected(fingerprint);
    reveal(cardId(fingerprint));
  };
  const fromCard = (fingerprint: string) => {
    setSelected(fingerprint);
    reveal(markId(fingerprint));
  };
  const card = (f: Finding) => (
    <FindingCard key={f.fingerprint} finding={f} selected={selected === f.fingerprint} onShow={isMissing(f) ? undefined : () => fromCard(f.fingerprint)} onSelect={() => setSelected(f.fingerprint)}>
      {review?.(f)}
    </FindingCard>
  );
  return (
    <div class="req-layout">
      <section class="panel req-text-panel" aria-labelledby="req-text-title">
        <header class="panel-head">
          <div>
            <h2 id="req-text-title">The text</h2>
            <p class="panel-lead">Select a marked passage to see why it was flagged.</p>
          </div>
        </header>
        <p class="req-legend" aria-hidden="true">
          {SEVERITIES.map((s) => (
            <span key={s} class={`req-legend-item hl hl-${s}`}>
              {SEVERITY_LABELS[s]}
            </span>
          ))}
          {findings.some((f) => f.review?.decision === "dismissed") ? <span class="req-legend-item hl hl-info hl-dismissed">Dismissed</span> : null}
        </p>
        <RequisitionText text={text} findings={inText} selected={selected} onSelect={fromText} />
      </section>
      <section class="req-findings" aria-label="Findings" data-testid="findings">
        {!findings.length ? (
          <div class="panel req-clean">
            <h2>No concerns found</h2>
            <p class="muted">Nothing in the text or the details matched a rule. A person should still read it before it is posted.</p>
          </div>
        ) : null}
        {missing.length ? (
          <div class="req-group" data-testid="missing">
            <h2 class="req-group-title">Missing from the text</h2>
            <p class="muted small">Things the law expects a posting to say, which this one does not.</p>
            {missing.map(card)}
          </div>
        ) : null}
        {inText.length ? (
          <div class="req-group">
            <h2 class="req-group-title">In the text</h2>
            {inText.map(card)}
          </div>
        ) : null}
      </section>
    </div>
  );
}

type CardProps = {
  finding: Finding;
  selected: boolean;
  onShow: (() => void) | undefined;
  onSelect: () => void;
  children?: ComponentChildren;
};

export function FindingCard({ finding: f, selected, onShow, onSelect, children }: CardProps) {
  const [copied, setCopied] = useState(false);
  const copy = async (text: string) => {
    await navigator.clipboard.writeText(text).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  const decision = f.review?.decision;
  return (
    <article
      id={cardId(f.fingerprint)}
      class={`req-finding req-finding-${f.severity}${selected ? " req-finding-selected" : ""}`}
      tabIndex={-1}
      aria-label={`${SEVERITY_LABELS[f.severity]}: ${categoryLabel(f.category)}`}
      data-testid="finding"
      data-fingerprint={f.fingerprint}
      onClick={onSelect}
    >
      <header class="req-finding-head">
        <Badge tone={SEVERITY_TONES[f.severity]}>{SEVERITY_LABELS[f.severity]}</Badge>
        <h3 class="req-finding-category">{categoryLabel(f.category)}</h3>
        {decision === "accepted" ? <Badge tone="bad">Accepted</Badge> : decision === "dismissed" ? <Badge tone="muted">Dismissed</Badge> : null}
      </header>
      {isMissing(f) ? null : (
        <p class="req-excerpt">
          <q>{f.excerpt}</q>
          {onShow ? (
            <button
              type="button"
              class="link-button small"
              onClick={(event) => {
                event.stopPropagation();
                onShow();
              }}
            >
              Show in text
            </button>
          ) : null}
        </p>
      )}
      <p class="req-message" id={`${cardId(f.fingerprint)}-message`}>
        {f.message}
      </p>
      {f.suggestion ? (
        <div class="req-suggestion">
          <p class="req-suggestion-label">Suggested rewrite</p>
          <p class="req-suggestion-text">{f.suggestion}</p>
          <button type="button" class="link-button small" onClick={() => void copy(f.suggestion ?? "")}>
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      ) : null}
      <p class="req-citation">
        <span class="muted">Citation:</span> {f.citation}
      </p>
      {children}
    </article>
  );
}
