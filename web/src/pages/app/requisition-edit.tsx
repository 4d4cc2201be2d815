// The author's edit: the title, text and fields become a new version, analysed again; reviewers'
// decisions carry over to findings on the same words.

import { useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { Field, FormError, TextArea } from "../../components/form";
import { ProblemSummary, RequisitionFields } from "../../components/requisition-fields";
import { Panel } from "../../components/ui";
import { type FieldsDraft, type RequisitionDetail, draftOf, fieldsOf } from "../../requisitions";
import { api } from "../../api/client";

type Props = {
  detail: RequisitionDetail;
  onSaved: (detail: RequisitionDetail) => void;
  onCancel: () => void;
};

export function RequisitionEdit({ detail, onSaved, onCancel }: Props) {
  const [title, setTitle] = useState(detail.title);
  const [text, setText] = useState(detail.text);
  const [draft, setDraft] = useState<FieldsDraft>(draftOf(detail.fields));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const checked = fieldsOf(draft);
    setProblems(checked.problems);
    if (Object.keys(checked.problems).length) return;
    setBusy(true);
    try {
      onSaved(await api.put("/api/v1/requisitions/{requisition_id}", { path: { requisition_id: detail.requisition_id }, body: { title, text, fields: checked.fields } }));
    } catch (e) {
      const err = asApiError(e);
      setError(err);
      setProblems(err.fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={save} noValidate aria-label="Edit requisition" class="req-edit">
      <Panel
        title={`Edit: this becomes version ${detail.version + 1}`}
        lead="The new version is analysed again. Reviewers' decisions carry over to findings on the same words; rewording flagged words makes a new finding to review."
      >
        <Field label="Title" name="edit-title" value={title} onValue={setTitle} required error={problems.title} />
        <TextArea label="Text of the posting" name="edit-text" value={text} onValue={setText} rows={14} required error={problems.text} />
        {detail.source !== "paste" ? <p class="hint">The text read from {detail.file_name ?? "the file"}; the new version is saved as text.</p> : null}
      </Panel>
      <Panel title="About the job">
        <RequisitionFields draft={draft} onDraft={setDraft} errors={problems} />
      </Panel>
      {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : <ProblemSummary problems={problems} />}
      <div class="row form-actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? "Analysing…" : "Save as a new version"}
        </button>
        <button type="button" class="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
