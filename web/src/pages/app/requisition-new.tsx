import { useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { Field, FormError, TextArea } from "../../components/form";
import { ProblemSummary, RequisitionFields } from "../../components/requisition-fields";
import { Notice, Panel, Spinner } from "../../components/ui";
import { can, useMe } from "../../me";
import { EMPTY_DRAFT, type FieldsDraft, type RequisitionDetail, fieldsOf } from "../../requisitions";
import { Link, navigate } from "../../router";
import { api } from "../../api/client";

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const ACCEPT = ".txt,.docx,.pdf,text/plain,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document";

type Mode = "paste" | "upload";

export function RequisitionNewPage() {
  const me = useMe();
  const [title, setTitle] = useState("");
  const [mode, setMode] = useState<Mode>("paste");
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | undefined>();
  const [draft, setDraft] = useState<FieldsDraft>(EMPTY_DRAFT);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  if (!me) return <Spinner label="Loading…" />;
  if (!can(me, "requisitions.create")) {
    return (
      <div class="page">
        <h1>New requisition</h1>
        <Notice tone="info">
          <p>Your role does not submit requisitions. Ask an organisation admin if you need to.</p>
        </Notice>
      </div>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const checked = fieldsOf(draft);
    const local: Record<string, string> = { ...checked.problems };
    if (mode === "upload" && !file) local.file = "choose a .txt, .docx or .pdf file";
    if (mode === "upload" && file && file.size > MAX_FILE_BYTES) local.file = "the file is larger than 10 MB";
    setProblems(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      let detail: RequisitionDetail;
      if (mode === "paste" || !file) {
        detail = await api.post("/api/v1/requisitions", { body: { title, text, fields: checked.fields } });
      } else {
        const fields = Object.keys(checked.fields).length ? { fields: JSON.stringify(checked.fields) } : {};
        detail = await api.upload("/api/v1/requisitions/upload", file, { query: { title, file_name: file.name, ...fields } });
      }
      navigate(`/app/requisitions/${detail.requisition_id}`);
    } catch (e) {
      const err = asApiError(e);
      setError(err);
      setProblems(err.fields);
    } finally {
      setBusy(false);
    }
  };

  const tab = (value: Mode, label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${value}`}
      aria-selected={mode === value}
      aria-controls="posting-panel"
      class={mode === value ? "tab tab-active" : "tab"}
      onClick={() => {
        setMode(value);
        setProblems({});
        setError(undefined);
      }}
    >
      {label}
    </button>
  );

  return (
    <div class="page">
      <h1>New requisition</h1>
      <p class="page-lead">
        Paste the posting or upload it. Attest checks it for potential compliance concerns, California first, and shows each with its reason, the law it comes from and a suggested
        rewrite. A compliance reviewer can then accept or dismiss each one.
      </p>
      <form onSubmit={submit} noValidate aria-label="New requisition">
        <Panel title="The posting">
          <Field label="Title" name="title" value={title} onValue={setTitle} required hint="How your team will find it, e.g. Warehouse associate – Fresno." error={problems.title} />
          <div class="tabs" role="tablist" aria-label="How to give the text">
            {tab("paste", "Paste text")}
            {tab("upload", "Upload a file")}
          </div>
          <div id="posting-panel" role="tabpanel" aria-labelledby={`tab-${mode}`} class="tab-panel">
            {mode === "paste" ? (
              <TextArea
                label="Text of the posting"
                name="text"
                value={text}
                onValue={setText}
                rows={12}
                required
                hint="Everything the candidate will read: duties, requirements, pay, benefits. Up to 200,000 characters."
                error={problems.text}
              />
            ) : (
              <div class={problems.file ? "field field-invalid" : "field"}>
                <label for="file">File</label>
                <input id="file" name="file" type="file" accept={ACCEPT} onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} aria-describedby="file-hint" />
                <p class="hint" id="file-hint">
                  A text file, a Word document (.docx) or a PDF, up to 10 MB. Attest reads the text out of it; password-protected and scanned documents cannot be read.
                </p>
                {problems.file ? (
                  <p class="error" role="alert">
                    {problems.file}
                  </p>
                ) : null}
              </div>
            )}
          </div>
        </Panel>
        <Panel title="About the job" lead="Optional, but some rules depend on these facts: leave blank what you do not know.">
          <RequisitionFields draft={draft} onDraft={setDraft} errors={problems} />
        </Panel>
        {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : <ProblemSummary problems={problems} />}
        {mode === "upload" && error && [413, 415, 422].includes(error.status) && error.code !== "validation_failed" ? (
          <p class="form-aside-left">
            Attest could not use this file. You can copy its text from your editor and{" "}
            <button
              type="button"
              class="link-button"
              onClick={() => {
                setMode("paste");
                setError(undefined);
              }}
            >
              paste it instead
            </button>
            .
          </p>
        ) : null}
        <div class="row form-actions">
          <button type="submit" class="button" disabled={busy}>
            {busy ? "Analysing…" : "Analyse and save"}
          </button>
          <Link href="/app/requisitions" class="button button-secondary">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
