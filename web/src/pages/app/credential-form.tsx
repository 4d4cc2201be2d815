import { useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { Field, FormError, SelectField } from "../../components/form";
import type { CredentialType } from "../../credentials";
import { api } from "../../api/client";

/** Records a new credential (with `types` to choose from) or renews `credentialId`. */
export function CredentialForm({
  workerId,
  types,
  credentialId,
  defaultIssuer,
  onDone,
  onCancel,
}: {
  workerId: string;
  types?: CredentialType[];
  credentialId?: string;
  defaultIssuer?: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const renewing = credentialId !== undefined;
  const [typeId, setTypeId] = useState(types?.[0]?.type_id ?? "");
  const [issuer, setIssuer] = useState(defaultIssuer ?? "");
  const [issuedOn, setIssuedOn] = useState(new Date().toISOString().slice(0, 10));
  const [expiresOn, setExpiresOn] = useState("");
  const [noExpiry, setNoExpiry] = useState(false);
  const [number, setNumber] = useState("");
  const [notes, setNotes] = useState("");
  const [file, setFile] = useState<File | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const chosen = types?.find((t) => t.type_id === typeId);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      let evidence: string | undefined;
      if (file) {
        const uploaded = await api.upload("/api/v1/workers/{worker_id}/evidence", file, { path: { worker_id: workerId } });
        evidence = uploaded.evidence_id;
      }
      const body = {
        issuer,
        issued_on: issuedOn,
        ...(noExpiry ? { no_expiry: true } : expiresOn ? { expires_on: expiresOn } : {}),
        ...(number ? { number } : {}),
        ...(notes ? { notes } : {}),
        ...(evidence ? { evidence_id: evidence } : {}),
      };
      if (renewing) {
        await api.post("/api/v1/credentials/{credential_id}/renewals", { path: { credential_id: credentialId }, body });
        onDone("Credential renewed.");
      } else {
        await api.post("/api/v1/workers/{worker_id}/credentials", { path: { worker_id: workerId }, body: { ...body, type_id: typeId } });
        onDone(`${chosen?.name ?? "Credential"} recorded.`);
      }
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const validity = chosen?.validity_months;
  return (
    <form class="card inline-card" onSubmit={submit} aria-label={renewing ? "Renew credential" : "Add a credential"}>
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      <div class="form-grid">
        {types ? (
          <SelectField
            label="Credential"
            name="type"
            value={typeId}
            onValue={setTypeId}
            options={types.map((t) => ({ value: t.type_id, label: `${t.name} (${t.code})` }))}
            error={error?.fields.type_id}
          />
        ) : null}
        <Field label="Issued by" name="issuer" value={issuer} onValue={setIssuer} required error={error?.fields.issuer} hint="The training provider or authority." />
        <Field label="Issued on" name="issued_on" type="date" value={issuedOn} onValue={setIssuedOn} required error={error?.fields.issued_on} />
        {noExpiry ? null : (
          <Field
            label="Expires on"
            name="expires_on"
            type="date"
            value={expiresOn}
            onValue={setExpiresOn}
            error={error?.fields.expires_on}
            hint={validity ? `Leave empty for the usual ${validity} months.` : "Leave empty if it does not expire."}
          />
        )}
        <label class="check">
          <input type="checkbox" checked={noExpiry} onChange={(e) => setNoExpiry((e.target as HTMLInputElement).checked)} /> Does not expire
        </label>
        <Field label="Certificate number" name="number" value={number} onValue={setNumber} error={error?.fields.number} hint="Personal: encrypted, never shown at the gate." />
        <div class="field">
          <label for="notes">Notes</label>
          <textarea id="notes" name="notes" rows={2} value={notes} onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} />
          <p class="hint">Personal: encrypted, seen only by the worker and HSE managers.</p>
        </div>
        <div class="field">
          <label for="evidence">Evidence (PDF, JPEG or PNG, up to 8 MB)</label>
          <input id="evidence" name="evidence" type="file" accept="application/pdf,image/jpeg,image/png" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} />
        </div>
      </div>
      <div class="row">
        <button type="submit" class="button" disabled={busy}>
          {busy ? "Saving…" : renewing ? "Renew" : "Add credential"}
        </button>
        <button type="button" class="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
