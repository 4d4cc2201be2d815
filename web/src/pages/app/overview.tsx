import { can, roleName, useMe } from "../../me";
import { Link } from "../../router";
import { Badge, Panel, Spinner } from "../../components/ui";

const CAPABILITIES: { permission: string; text: string }[] = [
  { permission: "people.read.org", text: "See everyone in the organisation" },
  { permission: "people.read.crew", text: "See the people in the crews you supervise" },
  { permission: "people.manage", text: "Invite members and change their roles" },
  { permission: "org.manage", text: "Change the organisation's security policies" },
  { permission: "credentials.manage", text: "Manage credentials" },
  { permission: "credentials.verify", text: "Verify badges at a site gate" },
  { permission: "audit.read.org", text: "Read the organisation's audit ledger" },
  { permission: "requisitions.create", text: "Submit job requisitions" },
  { permission: "requisitions.review", text: "Review requisition findings" },
];

export function OverviewPage() {
  const me = useMe();
  if (!me) return <Spinner label="Loading…" />;
  const o = me.organisation;
  const abilities = CAPABILITIES.filter((c) => can(me, c.permission));
  return (
    <div class="page">
      <h1>Welcome, {me.display_name.split(" ")[0]}</h1>
      <div class="grid">
        <Panel title="Your organisation">
          <dl class="facts">
            <dt>Name</dt>
            <dd>{o.name}</dd>
            <dt>Short name</dt>
            <dd>{o.slug}</dd>
            <dt>Data kept in</dt>
            <dd>{o.region_label}</dd>
          </dl>
        </Panel>
        <Panel title="Your role">
          <p class="role-name">{roleName(me.role)}</p>
          {abilities.length ? (
            <ul class="ticks">
              {abilities.map((a) => (
                <li key={a.permission}>{a.text}</li>
              ))}
            </ul>
          ) : (
            <p class="muted">You see your own record and credentials.</p>
          )}
        </Panel>
        <Panel title="Your security">
          <dl class="facts">
            <dt>Two-step verification</dt>
            <dd>{me.mfa_enabled ? <Badge tone="ok">On</Badge> : o.mfa_required ? <Badge tone="bad">Required</Badge> : <Badge tone="warn">Off</Badge>}</dd>
            {me.mfa_enabled ? (
              <>
                <dt>Recovery codes left</dt>
                <dd>{me.recovery_codes_left}</dd>
              </>
            ) : null}
            <dt>Idle sign-out after</dt>
            <dd>{o.idle_timeout_minutes} minutes</dd>
          </dl>
          <Link href="/app/security">Manage your security</Link>
        </Panel>
      </div>
    </div>
  );
}
