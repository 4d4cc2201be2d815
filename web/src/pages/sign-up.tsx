import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { anonymous, type Schema } from "../api/client";
import { Field, FormError, SelectField } from "../components/form";
import { Card } from "../components/layout";
import { Link } from "../router";

/** `Northwind Constructors Ltd.` → `northwind-constructors-ltd` */
function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^[0-9-]+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

export function SignUpPage({ meta }: { meta: Schema<"Meta"> | undefined }) {
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [region, setRegion] = useState("na");
  const [adminName, setAdminName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [created, setCreated] = useState<Schema<"CreatedOrganisationView"> | undefined>();

  if (created) {
    const o = created.organisation;
    const region = meta?.regions.find((r) => r.code === o.region)?.label ?? o.region;
    const next = `/sign-in?organisation=${encodeURIComponent(o.slug)}&email=${encodeURIComponent(created.admin.email)}`;
    return (
      <Card title="Organisation created">
        <div class="alert alert-success" role="status">
          <p>
            <strong>{o.name}</strong> is ready. Its data is kept in <strong>{region}</strong>.
          </p>
        </div>
        <dl class="facts">
          <dt>Organisation</dt>
          <dd>{o.slug}</dd>
          <dt>Administrator</dt>
          <dd>{created.admin.email}</dd>
        </dl>
        <Link href={next} class="button button-block">
          Continue to sign in
        </Link>
      </Card>
    );
  }

  const fieldError = (field: string) => error?.fields[field];
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await anonymous.post("/api/v1/organisations", { body: { slug, name, region, admin: { email, name: adminName, password } } }));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { code: "error", message: String(e), request_id: "" }));
    } finally {
      setBusy(false);
    }
  };
  const regions = meta?.regions ?? [{ code: "na", label: "North America" }];

  return (
    <Card
      title="Create an organisation"
      lead="Set up your organisation's workspace. You will be its first administrator and can invite your team next."
    >
      <form onSubmit={submit} noValidate>
        {error && error.code !== "validation_failed" && error.code !== "slug_taken" ? <FormError message={error.message} requestId={error.requestId} /> : null}
        <fieldset>
          <legend>Organisation</legend>
          <Field
            label="Organisation name"
            name="name"
            value={name}
            onValue={(v) => {
              setName(v);
              if (!slugEdited) setSlug(slugify(v));
            }}
            autocomplete="organization"
            required
            error={fieldError("name")}
          />
          <Field
            label="Short name"
            name="slug"
            value={slug}
            onValue={(v) => {
              setSlugEdited(true);
              setSlug(v);
            }}
            autocapitalize="none"
            spellcheck={false}
            required
            hint="Lowercase letters, digits and hyphens; your team signs in with it."
            error={error?.code === "slug_taken" ? error.message : fieldError("slug")}
          />
          <SelectField
            label="Where your data is kept"
            name="region"
            value={region}
            onValue={setRegion}
            options={regions.map((r) => ({ value: r.code, label: r.label }))}
            hint="Every record, file, audit event and backup stays in this region."
            error={fieldError("region")}
          />
        </fieldset>
        <fieldset>
          <legend>You, the administrator</legend>
          <Field label="Your name" name="admin-name" value={adminName} onValue={setAdminName} autocomplete="name" required error={fieldError("admin.name")} />
          <Field label="Work email" name="admin-email" type="email" value={email} onValue={setEmail} autocomplete="email" required error={fieldError("admin.email")} />
          <Field
            label="Password"
            name="admin-password"
            type="password"
            value={password}
            onValue={setPassword}
            autocomplete="new-password"
            required
            hint="At least 12 characters. A passphrase of a few words works well."
            error={fieldError("admin.password")}
          />
        </fieldset>
        <button type="submit" class="button button-block" disabled={busy}>
          {busy ? "Creating…" : "Create organisation"}
        </button>
      </form>
      <p class="card-foot">
        Already have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </Card>
  );
}
