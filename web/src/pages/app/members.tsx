import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { Field, FormError, SelectField } from "../../components/form";
import { Badge, Notice, Panel, Spinner, when } from "../../components/ui";
import { can, useMe } from "../../me";
import { api, type Schema } from "../../api/client";

type Member = Schema<"MemberView">;
type Role = Schema<"RoleView">;

export function MembersPage() {
  const me = useMe();
  const [members, setMembers] = useState<Member[] | undefined>();
  const [roles, setRoles] = useState<Role[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const manage = can(me, "people.manage");

  const load = async () => {
    try {
      const [list, roleList] = await Promise.all([api.get("/api/v1/members"), api.get("/api/v1/roles")]);
      setMembers(list);
      setRoles(roleList);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const act = async (description: string, change: () => Promise<unknown>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await change();
      setNotice(description);
      await load();
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <div class="page">
      <h1>Members</h1>
      {manage ? <Invite roles={roles} onInvited={(email) => { setNotice(`Invitation sent to ${email}.`); void load(); }} /> : null}
      <Panel title="Everyone in the organisation" lead={members ? `${members.length} people` : undefined}>
        {notice ? <Notice tone="success"><p>{notice}</p></Notice> : null}
        {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
        {!members ? (
          <Spinner label="Loading members…" />
        ) : (
          <table class="table" data-testid="members">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">2-step</th>
                {manage ? <th scope="col"><span class="visually-hidden">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const self = m.user_id === me?.user_id;
                return (
                  <tr key={m.user_id}>
                    <td>
                      <div class="person">{m.display_name}</div>
                      <div class="muted small">{m.email}</div>
                    </td>
                    <td>
                      {manage && !self ? (
                        <select
                          aria-label={`Role of ${m.display_name}`}
                          value={m.role}
                          onChange={(e) => act(`${m.display_name} is now ${(e.target as HTMLSelectElement).selectedOptions[0]?.text ?? ""}.`, () => api.patch("/api/v1/members/{user_id}", { path: { user_id: m.user_id }, body: { role: (e.target as HTMLSelectElement).value } }))}
                        >
                          {roles.map((r) => (
                            <option key={r.key} value={r.key}>
                              {r.name}
                            </option>
                          ))}
                        </select>
                      ) : (
                        m.role_name
                      )}
                    </td>
                    <td>
                      {m.status === "active" ? <Badge tone="ok">Active</Badge> : m.status === "pending" ? <Badge tone="info">Invited</Badge> : <Badge tone="muted">Suspended</Badge>}
                      {m.locked_until ? <Badge tone="bad">Locked until {when(m.locked_until)}</Badge> : null}
                    </td>
                    <td>{m.mfa_enabled ? <Badge tone="ok">On</Badge> : <Badge tone="muted">Off</Badge>}</td>
                    {manage ? (
                      <td class="actions">
                        {self ? null : (
                          <>
                            {m.locked_until ? (
                              <button type="button" class="button button-small" onClick={() => act(`${m.display_name} can sign in again.`, () => api.post("/api/v1/members/{user_id}/unlock", { path: { user_id: m.user_id } }))}>
                                Unlock
                              </button>
                            ) : null}
                            {m.mfa_enabled ? (
                              <button type="button" class="button button-small button-secondary" onClick={() => act(`${m.display_name}'s two-step verification was reset.`, () => api.post("/api/v1/members/{user_id}/reset-mfa", { path: { user_id: m.user_id } }))}>
                                Reset 2-step
                              </button>
                            ) : null}
                            {m.status === "suspended" ? (
                              <button type="button" class="button button-small button-secondary" onClick={() => act(`${m.display_name} is active again.`, () => api.patch("/api/v1/members/{user_id}", { path: { user_id: m.user_id }, body: { status: "active" } }))}>
                                Reactivate
                              </button>
                            ) : (
                              <button type="button" class="button button-small button-danger" onClick={() => act(`${m.display_name} is suspended and signed out.`, () => api.patch("/api/v1/members/{user_id}", { path: { user_id: m.user_id }, body: { status: "suspended" } }))}>
                                Suspend
                              </button>
                            )}
                          </>
                        )}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}

function Invite({ roles, onInvited }: { roles: Role[]; onInvited: (email: string) => void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState("worker");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post("/api/v1/members", { body: { email, name, role } });
      onInvited(email);
      setEmail("");
      setName("");
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const description = roles.find((r) => r.key === role)?.description;
  return (
    <Panel title="Invite someone" lead="They get an email with a link to choose their password.">
      <form noValidate onSubmit={submit} class="inline-form">
        {error && error.code !== "validation_failed" ? <FormError message={error.message} requestId={error.requestId} /> : null}
        <Field label="Name" name="invite-name" value={name} onValue={setName} autocomplete="off" error={error?.fields.name} />
        <Field label="Email" name="invite-email" type="email" value={email} onValue={setEmail} autocomplete="off" error={error?.fields.email} />
        <SelectField
          label="Role"
          name="invite-role"
          value={role}
          onValue={setRole}
          options={roles.map((r) => ({ value: r.key, label: r.name }))}
          {...(description ? { hint: description } : {})}
          error={error?.fields.role}
        />
        <button type="submit" class="button" disabled={busy}>
          {busy ? "Sending…" : "Send invitation"}
        </button>
      </form>
    </Panel>
  );
}
