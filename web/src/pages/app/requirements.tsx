import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { Field, FormError } from "../../components/form";
import { Panel, Spinner } from "../../components/ui";
import type { CredentialType, JobRole, Requirement, Site } from "../../credentials";
import { can, useMe } from "../../me";
import { api } from "../../api/client";

type Target = { kind: "site"; id: string; name: string } | { kind: "job_role"; id: string; name: string };

export function RequirementsPage() {
  const me = useMe();
  const manage = can(me, "credentials.manage");
  const [types, setTypes] = useState<CredentialType[] | undefined>();
  const [sites, setSites] = useState<Site[]>([]);
  const [roles, setRoles] = useState<JobRole[]>([]);
  const [rules, setRules] = useState<Requirement[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [roleName, setRoleName] = useState("");

  const load = async () => {
    try {
      const [t, s, j, r] = await Promise.all([
        api.get("/api/v1/credential-types"),
        can(me, "sites.read") ? api.get("/api/v1/sites") : Promise.resolve([]),
        api.get("/api/v1/job-roles"),
        api.get("/api/v1/requirements"),
      ]);
      setTypes(t.filter((x) => !x.archived));
      setSites(s);
      setRoles(j);
      setRules(r);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => {
    if (me) void load();
  }, [me]);

  const rule = (target: Target, typeId: string) => rules.find((r) => r.type_id === typeId && (target.kind === "site" ? r.site_id === target.id : r.job_role_id === target.id));
  const toggle = async (target: Target, typeId: string) => {
    setError(undefined);
    try {
      const existing = rule(target, typeId);
      if (existing) await api.delete("/api/v1/requirements/{requirement_id}", { path: { requirement_id: existing.requirement_id } });
      else await api.post("/api/v1/requirements", { body: target.kind === "site" ? { type_id: typeId, site_id: target.id } : { type_id: typeId, job_role_id: target.id } });
      setRules(await api.get("/api/v1/requirements"));
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const addRole = async (event: Event) => {
    event.preventDefault();
    try {
      await api.post("/api/v1/job-roles", { body: { name: roleName } });
      setRoleName("");
      await load();
    } catch (e) {
      setError(asApiError(e));
    }
  };

  const targets: { heading: string; rows: Target[] }[] = [
    { heading: "Sites", rows: sites.map((s) => ({ kind: "site", id: s.site_id, name: s.name })) },
    { heading: "Job roles", rows: roles.map((r) => ({ kind: "job_role", id: r.job_role_id, name: r.name })) },
  ];
  return (
    <div class="page">
      <h1>Requirements</h1>
      <p class="page-lead">Which credentials each site and each job role requires. A worker is cleared for a site when they hold a valid credential of every type the site and their job role require.</p>
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      <Panel title="Requirements matrix">
        {!types ? (
          <Spinner label="Loading…" />
        ) : (
          <div class="matrix-wrap">
            <table class="table matrix" data-testid="matrix">
              <thead>
                <tr>
                  <th scope="col">
                    <span class="visually-hidden">Site or job role</span>
                  </th>
                  {types.map((t) => (
                    <th key={t.type_id} scope="col" title={t.name}>
                      <span class="matrix-code">{t.code}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              {targets.map((group) => (
                <tbody key={group.heading}>
                  <tr class="matrix-group">
                    <th colSpan={types.length + 1} scope="colgroup">
                      {group.heading}
                    </th>
                  </tr>
                  {group.rows.map((target) => (
                    <tr key={target.id}>
                      <th scope="row">{target.name}</th>
                      {types.map((t) => {
                        const on = rule(target, t.type_id) !== undefined;
                        return (
                          <td key={t.type_id} class="matrix-cell">
                            {manage ? (
                              <input type="checkbox" checked={on} aria-label={`${target.name} requires ${t.name}`} onChange={() => void toggle(target, t.type_id)} />
                            ) : on ? (
                              <span aria-label={`${target.name} requires ${t.name}`}>✓</span>
                            ) : null}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        )}
      </Panel>
      {manage ? (
        <Panel title="Add a job role" lead="A trade or position (electrician, rigger…) that requirements attach to.">
          <form class="inline-form" onSubmit={addRole}>
            <Field label="Name" name="job-role" value={roleName} onValue={setRoleName} required error={error?.fields.name} />
            <button type="submit" class="button">
              Add job role
            </button>
          </form>
        </Panel>
      ) : null}
    </div>
  );
}
