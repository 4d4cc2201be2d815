import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError } from "../../components/form";
import { Badge, Panel, Spinner } from "../../components/ui";
import { GAP_LABELS, type Group, type Readiness, STATUS_LABELS, STATUS_TONES, day, relative, useLiveReadiness } from "../../credentials";
import { Link } from "../../router";
import { api } from "../../api/client";

function Meter({ percent, label }: { percent: number; label: string }) {
  const tone = percent >= 90 ? "ok" : percent >= 70 ? "warn" : "bad";
  return (
    <div class="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={label}>
      <div class={`meter-fill meter-${tone}`} style={{ width: `${percent}%` }} />
    </div>
  );
}

function Groups({ groups, empty }: { groups: Group[]; empty: string }) {
  if (!groups.length) return <p class="muted">{empty}</p>;
  return (
    <table class="table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Cleared</th>
          <th scope="col" class="meter-col">
            <span class="visually-hidden">Share cleared</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.id} data-testid={`group-${g.name}`}>
            <td>{g.name}</td>
            {g.total ? (
              <>
                <td class="nowrap">
                  <strong>{g.percent}%</strong> <span class="muted small">({g.cleared} of {g.total})</span>
                </td>
                <td>
                  <Meter percent={g.percent} label={`${g.name}: ${g.percent}% cleared`} />
                </td>
              </>
            ) : (
              <td colSpan={2} class="muted small">
                Nobody assigned
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const LIVE_LABELS = { connecting: "Connecting…", live: "Live", offline: "Reconnecting…", paused: "Paused while you are away" } as const;

export function ReadinessPage() {
  const [data, setData] = useState<Readiness | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [updatedAt, setUpdatedAt] = useState<Date | undefined>();
  const pending = useRef<number | undefined>();

  const load = async () => {
    try {
      setData(await api.get("/api/v1/readiness"));
      setUpdatedAt(new Date());
      setError(undefined);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  // Several changes in a burst (an import) make one reload.
  const live = useLiveReadiness(() => {
    window.clearTimeout(pending.current);
    pending.current = window.setTimeout(() => void load(), 200);
  });

  return (
    <div class="page">
      <div class="page-title">
        <h1>Workforce readiness</h1>
        <span class={`live live-${live}`} data-testid="live" title="Updates arrive as credentials change">
          <span class="live-dot" aria-hidden="true" />
          {LIVE_LABELS[live]}
          {updatedAt ? <span class="muted small"> · updated {updatedAt.toLocaleTimeString()}</span> : null}
        </span>
      </div>
      {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
      {!data ? (
        <Spinner label="Computing readiness…" />
      ) : (
        <>
          <div class="stats">
            <div class="stat stat-main" data-testid="overall">
              <span class="stat-value">{data.overall.percent}%</span>
              <span class="stat-label">
                cleared for work · {data.overall.cleared} of {data.overall.total} workers
              </span>
              <Meter percent={data.overall.percent} label={`${data.overall.percent}% of workers cleared`} />
            </div>
            <div class="stat">
              <span class="stat-value">{data.outlook.within_30_days}</span>
              <span class="stat-label">expire within 30 days</span>
            </div>
            <div class="stat">
              <span class="stat-value">{data.outlook.within_60_days}</span>
              <span class="stat-label">within 60 days</span>
            </div>
            <div class="stat">
              <span class="stat-value">{data.outlook.within_90_days}</span>
              <span class="stat-label">within 90 days</span>
            </div>
            <div class="stat stat-bad">
              <span class="stat-value">{data.outlook.expired}</span>
              <span class="stat-label">expired</span>
            </div>
          </div>
          <div class="grid">
            <Panel title="By site" lead="Workers whose crews work there, cleared for the site and their job role.">
              <Groups groups={data.sites} empty="No sites yet." />
            </Panel>
            <Panel title="By crew" lead="Crew members cleared for their crew's site and their job role.">
              <Groups groups={data.crews} empty="No crews yet." />
            </Panel>
          </div>
          <Panel title="Not cleared" lead="Who cannot work where they are assigned today, and why.">
            {data.not_cleared.length ? (
              <table class="table" data-testid="not-cleared">
                <thead>
                  <tr>
                    <th scope="col">Worker</th>
                    <th scope="col">What is missing</th>
                  </tr>
                </thead>
                <tbody>
                  {data.not_cleared.map((w) => (
                    <tr key={w.worker_id}>
                      <td>
                        <Link href={`/app/workers/${w.worker_id}`}>{w.worker_name}</Link>
                      </td>
                      <td class="chips">
                        {w.gaps.map((g) => (
                          <Badge key={g.type_id} tone={g.reason === "missing" ? "warn" : "bad"}>
                            {g.type_name}: {GAP_LABELS[g.reason]}
                          </Badge>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">Everyone is cleared where they work.</p>
            )}
          </Panel>
          <Panel title="Expiring and expired" lead={`Credentials expiring within 90 days, and those already expired. "Expiring" means within ${data.expiring_window_days} days.`}>
            {data.expiring.length ? (
              <table class="table" data-testid="expiring">
                <thead>
                  <tr>
                    <th scope="col">Worker</th>
                    <th scope="col">Credential</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {data.expiring.map((c) => (
                    <tr key={c.credential_id}>
                      <td>
                        <Link href={`/app/workers/${c.worker_id}`}>{c.worker_name}</Link>
                      </td>
                      <td>
                        {c.type_name} <span class="muted small mono">{c.type_code}</span>
                      </td>
                      <td class="nowrap">
                        {day(c.expires_on)} <span class="muted small">({relative(c.days_left)})</span>
                      </td>
                      <td>
                        <Badge tone={STATUS_TONES[c.status]}>{STATUS_LABELS[c.status]}</Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">Nothing expires in the next 90 days.</p>
            )}
          </Panel>
        </>
      )}
    </div>
  );
}
