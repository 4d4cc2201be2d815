// A requisition's text with each finding's words marked. Offsets are in characters (code points),
// so the text is sliced as Array.from(text). Findings may overlap: a finding inside another is a
// <mark> inside its <mark>; one that crosses another's end is split in two marks of the same
// finding, so each finding's marks read exactly its excerpt.

import type { ComponentChildren } from "preact";
import { type Finding, SEVERITY_LABELS, categoryLabel, isMissing } from "../requisitions";

type Node = { kind: "text"; text: string } | { kind: "mark"; finding: Finding; children: Node[] };

/** Outer before inner: earlier start, then longer. */
function outerFirst(a: Finding, b: Finding): number {
  return a.start - b.start || b.end - a.end || a.fingerprint.localeCompare(b.fingerprint);
}

/** The text as a tree of plain runs and marks. */
export function segments(text: string, findings: Finding[]): Node[] {
  const chars = Array.from(text);
  const length = chars.length;
  const spans = findings
    .filter((f) => !isMissing(f))
    .map((f) => ({ ...f, start: Math.max(0, Math.min(f.start, length)), end: Math.max(0, Math.min(f.end, length)) }))
    .filter((f) => f.end > f.start);
  const cuts = [...new Set([0, length, ...spans.flatMap((f) => [f.start, f.end])])].sort((a, b) => a - b);
  const root: Node[] = [];
  // The open marks, outermost first, each with the list its children go to.
  const open: { finding: Finding; children: Node[] }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i] ?? 0;
    const to = cuts[i + 1] ?? 0;
    const covering = spans.filter((f) => f.start <= from && f.end >= to).sort(outerFirst);
    let same = 0;
    while (same < open.length && same < covering.length && open[same]?.finding.fingerprint === covering[same]?.fingerprint) same++;
    open.length = same;
    for (const finding of covering.slice(same)) {
      const mark: Node = { kind: "mark", finding, children: [] };
      (open[open.length - 1]?.children ?? root).push(mark);
      open.push({ finding, children: mark.children });
    }
    (open[open.length - 1]?.children ?? root).push({ kind: "text", text: chars.slice(from, to).join("") });
  }
  return root;
}

export function markId(fingerprint: string) {
  return `mark-${fingerprint}`;
}

export function cardId(fingerprint: string) {
  return `finding-${fingerprint}`;
}

type Props = {
  text: string;
  findings: Finding[];
  selected: string | undefined;
  onSelect: (fingerprint: string) => void;
};

export function RequisitionText({ text, findings, selected, onSelect }: Props) {
  // Only a finding's first mark carries the id the finding card scrolls to.
  const seen = new Set<string>();
  const render = (nodes: Node[]): ComponentChildren =>
    nodes.map((node, i) => {
      if (node.kind === "text") return node.text;
      const f = node.finding;
      const first = !seen.has(f.fingerprint);
      seen.add(f.fingerprint);
      const choose = (event: Event) => {
        event.stopPropagation();
        onSelect(f.fingerprint);
      };
      return (
        <mark
          key={i}
          id={first ? markId(f.fingerprint) : undefined}
          class={`hl hl-${f.severity}${selected === f.fingerprint ? " hl-selected" : ""}${f.review?.decision === "dismissed" ? " hl-dismissed" : ""}`}
          data-fingerprint={f.fingerprint}
          title={`${SEVERITY_LABELS[f.severity]} · ${categoryLabel(f.category)}: ${f.message}`}
          aria-describedby={`${cardId(f.fingerprint)}-message`}
          tabIndex={0}
          onClick={choose}
          onKeyDown={(event) => {
            if (event.key === "Enter" || event.key === " ") {
              event.preventDefault();
              choose(event);
            }
          }}
        >
          {render(node.children)}
        </mark>
      );
    });
  return (
    <div class="req-text" data-testid="requisition-text">
      {render(segments(text, findings))}
    </div>
  );
}
