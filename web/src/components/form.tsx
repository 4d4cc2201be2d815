type InputProps = {
  label: string;
  name: string;
  value: string;
  onValue: (value: string) => void;
  type?: "text" | "email" | "password" | "date";
  autocomplete?: string;
  autocapitalize?: "none" | "sentences";
  spellcheck?: boolean;
  required?: boolean;
  inputmode?: "numeric" | "decimal" | "text" | "email";
  autofocus?: boolean;
  hint?: string;
  error?: string | undefined;
};

/** The ids of a field's hint and error, for `aria-describedby`. */
function describedBy(name: string, hint: unknown, error: unknown): string {
  return [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ");
}

/** A field's hint and error, with the ids `describedBy` names. */
function Notes({ name, hint, error }: { name: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={`${name}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

/** A labelled input with its hint and its error, wired for assistive technology. */
export function Field({ label, name, value, onValue, hint, error, type = "text", ...rest }: InputProps) {
  const described = describedBy(name, hint, error);
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={name}>{label}</label>
      <input
        id={name}
        name={name}
        type={type}
        value={value}
        onInput={(e) => onValue((e.target as HTMLInputElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described || undefined}
        {...rest}
      />
      <Notes name={name} hint={hint} error={error} />
    </div>
  );
}

type SelectProps = {
  label: string;
  name: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
  hint?: string;
  error?: string | undefined;
};

export function SelectField({ label, name, value, onValue, options, hint, error }: SelectProps) {
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={name}>{label}</label>
      <select id={name} name={name} value={value} onChange={(e) => onValue((e.target as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? <p class="hint">{hint}</p> : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A problem with the whole form, with the request id people can quote to support. */
export function FormError({ message, requestId }: { message: string; requestId?: string | undefined }) {
  return (
    <div class="alert alert-error" role="alert">
      <p>{message}</p>
      {requestId ? <p class="request-id">Reference: {requestId}</p> : null}
    </div>
  );
}

type CheckProps = {
  label: string;
  name: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  hint?: string;
};

/** A labelled checkbox with its hint. */
export function CheckField({ label, name, checked, onChecked, hint }: CheckProps) {
  return (
    <div class="field check">
      <input id={name} name={name} type="checkbox" checked={checked} onChange={(e) => onChecked((e.target as HTMLInputElement).checked)} aria-describedby={hint ? `${name}-hint` : undefined} />
      <label for={name}>{label}</label>
      {hint ? (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type TextAreaProps = {
  label: string;
  name: string;
  value: string;
  onValue: (value: string) => void;
  rows?: number;
  required?: boolean;
  placeholder?: string;
  maxLength?: number;
  hint?: string | undefined;
  error?: string | undefined;
};

/** A labelled multi-line input with its hint and its error. */
export function TextArea({ label, name, value, onValue, hint, error, rows = 4, ...rest }: TextAreaProps) {
  const described = describedBy(name, hint, error);
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={name}>{label}</label>
      <textarea
        id={name}
        name={name}
        rows={rows}
        value={value}
        onInput={(e) => onValue((e.target as HTMLTextAreaElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described || undefined}
        {...rest}
      />
      <Notes name={name} hint={hint} error={error} />
    </div>
  );
}
