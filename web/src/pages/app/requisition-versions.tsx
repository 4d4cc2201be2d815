// A requisition's versions, newest first, loaded when the history is opened.

import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError } from "../../components/form";
import { Badge, Spinner, when } from "../../components/ui";
import { SEVERITIES, SEVERITY_LABELS, SEVERITY_TONES, SOURCE_LABELS, type VersionSummary, personName, scoreTone } from "../../requisitions";
import { api } from "../../api/client";

type Props = { requisitionId: string; current: number };

export function RequisitionVersions({ requisitionId, current }: Props) {
  const [open, setOpen] = useState(false);
  const [versions, setVersions] = useState<VersionSummary[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  // Loaded when opened, and again when a new version is saved while open.
  useEffect(() => {
    if (!open) return;
    setError(undefined);
    api.get("/api/v1/requisitions/{requisition_id}/versions", { path: { requisition_id: requisitionId } }).then(setVersions, (e) => setError(asApiError(e)));
  }, [open, current, requisitionId]);
  return (
    <details
      class="panel req-versions"
      data-testid="versions"
      onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}
    >
      <summary>
        <h2>Version history</h2>
        <span class="muted small">
          {current} version{current === 1 ? "" : "s"}
        </span>
      </summary>
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      {!versions && !error ? <Spinner label="Loading versions…" /> : null}
      {versions ? (
        <table class="table table-compact">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col">By</th>
              <th scope="col">From</th>
              <th scope="col">Score</th>
              <th scope="col">Concerns</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>
                  {v.version}
                  {v.version === current ? <span class="muted small"> (current)</span> : null}
                </td>
                <td class="nowrap">{when(v.created_at)}</td>
                <td>{personName(v.created_by)}</td>
                <td>
                  {SOURCE_LABELS[v.source] ?? v.source}
                  {v.file_name ? <div class="muted small">{v.file_name}</div> : null}
                </td>
                <td>
                  <span class={`score-badge score-badge-${scoreTone(v.analysis.score, v.analysis)}`}>{v.analysis.score}</span>
                  {v.analysis.outdated ? <div class="muted small">rule pack {v.analysis.rule_pack}</div> : null}
                </td>
                <td class="chips">
                  {SEVERITIES.filter((s) => v.analysis[s]).map((s) => (
                    <Badge key={s} tone={SEVERITY_TONES[s]}>
                      {v.analysis[s]} {SEVERITY_LABELS[s].toLowerCase()}
                    </Badge>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </details>
  );
}
