import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../../api";
import { asApiError } from "../../components/errors";
import { FormError } from "../../components/form";
import { Badge, Panel, Spinner } from "../../components/ui";
import type { WorkerSummary } from "../../credentials";
import { Link } from "../../router";
import { api } from "../../api/client";

export function WorkersPage() {
  const [workers, setWorkers] = useState<WorkerSummary[] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [filter, setFilter] = useState("");
  const [onlyBlocked, setOnlyBlocked] = useState(false);
  useEffect(() => {
    api.get("/api/v1/workers").then(setWorkers, (e) => setError(asApiError(e)));
  }, []);
  const needle = filter.trim().toLowerCase();
  const shown = (workers ?? []).filter(
    (w) =>
      (!onlyBlocked || !w.cleared) &&
      (!needle || w.name.toLowerCase().includes(needle) || w.crews.some((c) => c.name.toLowerCase().includes(needle)) || (w.job_role?.name.toLowerCase().includes(needle) ?? false)),
  );
  return (
    <div class="page">
      <h1>Workers</h1>
      <Panel title="The workforce" lead={workers ? `${workers.length} workers in crews or with a job role` : undefined}>
        <div class="filters filters-inline">
          <label>
            <span class="visually-hidden">Find a worker</span>
            <input type="search" placeholder="Find by name, crew or job role" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
          </label>
          <label class="check">
            <input type="checkbox" checked={onlyBlocked} onChange={(e) => setOnlyBlocked((e.target as HTMLInputElement).checked)} /> Not cleared only
          </label>
        </div>
        {error ? <FormError message={error.message} requestId={error.requestId} /> : null}
        {!workers ? (
          <Spinner label="Loading workers…" />
        ) : (
          <table class="table" data-testid="workers">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Job role</th>
                <th scope="col">Crews</th>
                <th scope="col">Readiness</th>
                <th scope="col">Credentials</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((w) => (
                <tr key={w.worker_id}>
                  <td>
                    <Link href={`/app/workers/${w.worker_id}`} class="person">
                      {w.name}
                    </Link>
                  </td>
                  <td>{w.job_role?.name ?? <span class="muted">—</span>}</td>
                  <td>{w.crews.map((c) => c.name).join(", ") || <span class="muted">—</span>}</td>
                  <td>{w.cleared ? <Badge tone="ok">Cleared</Badge> : <Badge tone="bad">Not cleared</Badge>}</td>
                  <td class="chips">
                    {w.credentials.valid ? <Badge tone="ok">{w.credentials.valid} valid</Badge> : null}
                    {w.credentials.expiring ? <Badge tone="warn">{w.credentials.expiring} expiring</Badge> : null}
                    {w.credentials.expired ? <Badge tone="bad">{w.credentials.expired} expired</Badge> : null}
                    {w.credentials.suspended ? <Badge tone="bad">{w.credentials.suspended} suspended</Badge> : null}
                    {w.credentials.revoked ? <Badge tone="muted">{w.credentials.revoked} revoked</Badge> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {workers && !shown.length ? <p class="muted">No worker matches.</p> : null}
      </Panel>
    </div>
  );
}
