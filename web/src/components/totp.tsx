import { useState } from "preact/hooks";
import type { ApiError, Schema } from "../api";
import { asApiError } from "./errors";
import { Field, FormError } from "./form";

export type Enrolment = Schema<"TotpEnrolment">;

/** Setting up an authenticator app: scan the code (or type the key), then prove it with a code. */
export function TotpSetup({ enrolment, onConfirm }: { enrolment: Enrolment; onConfirm: (code: string) => Promise<void> }) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(code.trim());
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const grouped = enrolment.secret.match(/.{1,4}/g)?.join(" ") ?? enrolment.secret;
  return (
    <form onSubmit={submit} noValidate class="totp-setup">
      <ol class="steps">
        <li>
          <p>Scan this code with an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…).</p>
          <img class="qr" src={enrolment.qr_code} width={200} height={200} alt="QR code to add Attest to your authenticator app" />
          <p class="hint">
            Can't scan? Enter this key instead: <code class="secret" data-testid="totp-secret">{grouped}</code>
          </p>
        </li>
        <li>
          <p>Enter the six-digit code the app shows.</p>
          {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
          <Field
            label="Code from the app"
            name="totp-code"
            value={code}
            onValue={setCode}
            autocomplete="one-time-code"
            inputmode="numeric"
            required
            error={error?.fields.code}
          />
        </li>
      </ol>
      <button type="submit" class="button button-block" disabled={busy}>
        {busy ? "Checking…" : "Turn on two-step verification"}
      </button>
    </form>
  );
}

/** The recovery codes, shown once. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const download = () => {
    const blob = new Blob([`Attest recovery codes (each works once)\n\n${codes.join("\n")}\n`], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = "attest-recovery-codes.txt";
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div class="recovery">
      <p>
        Keep these <strong>recovery codes</strong> somewhere safe, away from your phone. If you lose your phone, each code
        signs you in once. They are shown only now.
      </p>
      <ul class="codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div class="row">
        <button type="button" class="button button-secondary" onClick={download}>
          Download as a text file
        </button>
        <button type="button" class="button" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}
