// A finding's review: the decision on it (who, when, why) and, for a compliance reviewer, the
// form that accepts or dismisses it (a note is required to dismiss).

import { useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError, TextArea } from "../../components/form";
import { when } from "../../components/ui";
import { type Finding, type RequisitionDetail, personName } from "../../requisitions";
import { api } from "../../api/client";

type Decision = "accepted" | "dismissed";

type Props = {
  requisitionId: string;
  finding: Finding;
  canReview: boolean;
  onSaved: (detail: RequisitionDetail) => void;
};

export function ReviewBox({ requisitionId, finding, canReview, onSaved }: Props) {
  const review = finding.review ?? undefined;
  const [open, setOpen] = useState(false);
  const [decision, setDecision] = useState<Decision>(review?.decision ?? "accepted");
  const [note, setNote] = useState(review?.note ?? "");
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const id = `review-${finding.fingerprint}`;

  const start = (chosen: Decision) => {
    setDecision(chosen);
    setNote(review?.note ?? "");
    setError(undefined);
    setOpen(true);
    setTimeout(() => document.getElementById(`${id}-note`)?.focus(), 0);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const detail = await api.put("/api/v1/requisitions/{requisition_id}/findings/{fingerprint}/review", { path: { requisition_id: requisitionId, fingerprint: finding.fingerprint }, body: { decision, note } });
      setOpen(false);
      onSaved(detail);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="req-review" data-testid="review">
      {review ? (
        <div class={`req-decision req-decision-${review.decision}`}>
          <p>
            <strong title={review.decision === "accepted" ? "The concern stands: the text should change." : "The concern does not apply here."}>{review.decision === "accepted" ? "Accepted" : "Dismissed"}</strong>{" "}
            <span class="muted">
              by {personName(review.reviewer)} · {when(review.reviewed_at)}
            </span>
          </p>
          {review.note ? <p class="req-decision-note">{review.note}</p> : null}
        </div>
      ) : (
        <p class="muted small req-undecided">Not reviewed yet.</p>
      )}
      {canReview && !open ? (
        <div class="row req-review-actions" onClick={(event) => event.stopPropagation()}>
          {review ? (
            <button type="button" class="button button-small button-secondary" onClick={() => start(review.decision)}>
              Change decision
            </button>
          ) : (
            <>
              <button type="button" class="button button-small" onClick={() => start("accepted")}>
                Accept
              </button>
              <button type="button" class="button button-small button-secondary" onClick={() => start("dismissed")}>
                Dismiss
              </button>
            </>
          )}
        </div>
      ) : null}
      {canReview && open ? (
        <form class="req-review-form" onSubmit={save} noValidate aria-label="Review this finding" onClick={(event) => event.stopPropagation()}>
          <fieldset class="req-decision-choice">
            <legend class="visually-hidden">Decision</legend>
            <label class="req-choice">
              <input type="radio" name={`${id}-decision`} checked={decision === "accepted"} onChange={() => setDecision("accepted")} />
              <span>
                <strong>Accept</strong> <span class="muted">— the concern stands; the text should change</span>
              </span>
            </label>
            <label class="req-choice">
              <input type="radio" name={`${id}-decision`} checked={decision === "dismissed"} onChange={() => setDecision("dismissed")} />
              <span>
                <strong>Dismiss</strong> <span class="muted">— it does not apply here</span>
              </span>
            </label>
          </fieldset>
          {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
          <TextArea
            label={decision === "dismissed" ? "Why it does not apply (required)" : "Note (optional)"}
            name={`${id}-note`}
            value={note}
            onValue={setNote}
            rows={3}
            maxLength={2000}
            hint="Kept with the decision; the author and other reviewers see it."
            error={error?.fields.note ?? error?.fields.decision}
          />
          <div class="row">
            <button type="submit" class="button button-small" disabled={busy}>
              {busy ? "Saving…" : "Save decision"}
            </button>
            <button type="button" class="button button-small button-secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
