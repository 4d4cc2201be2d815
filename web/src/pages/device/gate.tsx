// The gate scanner: a supervisor's phone verifies workers' badges offline against the cached
// trust bundle (signed by the pinned platform key), shows only the name and the credentials'
// names and statuses with the data's age, and records each scan on the server — at once when
// online, otherwise queued and synced exactly once when the connection returns.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { Logo } from "../../components/brand";
import { Badge, Notice } from "../../components/ui";
import { BundleRefused, checkBadge, openBundle, type Gate, type GateResult } from "../../badge/gate";
import { Scanner, readImage, warmDecoder } from "../../badge/scanner";
import { getItem, queueScan, queuedScans, setItem, type QueuedScan } from "../../badge/store";
import { downloadBundle, pinnedPlatformKey, sendScan, syncQueue } from "../../badge/sync";
import { Link } from "../../router";
import { current, refresh, subscribe } from "../../session";

const REFRESH_MS = 5 * 60 * 1000;

function nowSecs(): number {
  return Math.floor(Date.now() / 1000);
}

function age(seconds: number): string {
  const minutes = Math.max(0, Math.round((nowSecs() - seconds) / 60));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min ago`;
}

function asOf(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

const TONE = { valid: "ok", expiring: "warn", expired: "bad", suspended: "bad", revoked: "bad" } as const;

function Result({ result, recorded, onNext }: { result: GateResult; recorded: string; onNext: () => void }) {
  return (
    <section class={result.valid ? "gate-result gate-valid" : "gate-result gate-invalid"} aria-live="assertive" data-testid="gate-result">
      <p class="gate-verdict">{result.valid ? "VALID" : "NOT VALID"}</p>
      {result.valid ? (
        <>
          <h2 class="gate-name">{result.name}</h2>
          <ul class="gate-credentials">
            {result.credentials.map((c) => (
              <li key={c.code}>
                <span class="gate-credential-name">{c.name}</span>
                <Badge tone={TONE[c.status]}>{c.status}</Badge>
                <span class="gate-credential-until">{c.expires ? `until ${c.expires}` : "no expiry"}</span>
              </li>
            ))}
            {result.credentials.length === 0 ? <li>No credentials on this badge.</li> : null}
          </ul>
        </>
      ) : (
        <p class="gate-reason">{result.reason}</p>
      )}
      <p class="gate-meta">
        Data as of {asOf(result.dataAsOf)} ({age(result.dataAsOf)}) · {recorded}
      </p>
      <button type="button" class="button button-block" onClick={onNext}>
        Scan next badge
      </button>
    </section>
  );
}

export function GatePage() {
  const [gate, setGate] = useState<Gate>();
  const [problem, setProblem] = useState<string>();
  const [online, setOnline] = useState(navigator.onLine);
  const [signedIn, setSignedIn] = useState(current() !== undefined);
  const [queued, setQueued] = useState(0);
  const [result, setResult] = useState<GateResult>();
  const [recorded, setRecorded] = useState("");
  const [location, setLocation] = useState("");
  const [manual, setManual] = useState("");
  const busy = useRef(false);

  const countQueue = useCallback(async () => setQueued((await queuedScans()).length), []);

  /** Opens the stored bundle, after fetching a fresh one when possible. */
  const load = useCallback(async () => {
    const key = await pinnedPlatformKey();
    if (!key) {
      setProblem("This gate has no platform key yet: open it once while online.");
      return;
    }
    let fetchProblem: string | undefined;
    if (navigator.onLine && current()) {
      try {
        const fresh = await downloadBundle();
        await openBundle(fresh, key, nowSecs());
        await setItem("bundle", fresh);
        warmDecoder();
      } catch (e) {
        fetchProblem = e instanceof BundleRefused ? `The downloaded trust bundle was refused: ${e.message}` : e instanceof Error ? e.message : undefined;
      }
    }
    const stored = await getItem<Uint8Array>("bundle");
    if (!stored) {
      setGate(undefined);
      setProblem(fetchProblem ?? (current() ? "No trust bundle yet: connect to download it." : "Sign in once while online to download the trust bundle."));
      return;
    }
    try {
      setGate(await openBundle(stored, key, nowSecs()));
      setProblem(undefined);
    } catch (e) {
      setGate(undefined);
      setProblem(e instanceof Error ? e.message : "The trust bundle cannot be used.");
    }
  }, []);

  const sync = useCallback(async () => {
    if (!navigator.onLine) return;
    if (!current()) await refresh();
    await syncQueue().catch(() => 0);
    await countQueue();
  }, [countQueue]);

  useEffect(() => {
    getItem<string>("gate_location").then((l) => setLocation(l ?? ""));
    load().then(sync);
    countQueue();
    const goOnline = () => {
      setOnline(true);
      sync().then(load);
    };
    const goOffline = () => setOnline(false);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    const timer = window.setInterval(() => {
      if (navigator.onLine) load();
    }, REFRESH_MS);
    const unsubscribe = subscribe(() => setSignedIn(current() !== undefined));
    return () => {
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
      clearInterval(timer);
      unsubscribe();
    };
  }, [load, sync, countQueue]);

  const onScan = useCallback(
    async (text: string) => {
      if (!gate || busy.current) return;
      busy.current = true;
      try {
        const outcome = await checkBadge(gate, text, nowSecs());
        setResult(outcome);
        const scan: QueuedScan = {
          scan_id: crypto.randomUUID(),
          payload: text.trim().slice(0, 4096),
          scanned_at: new Date().toISOString(),
          location: location.trim() || null,
          valid: outcome.valid,
          reason_code: outcome.reasonCode,
        };
        if (navigator.onLine && current()) {
          try {
            await sendScan(scan, true);
            setRecorded("recorded in the audit ledger");
            return;
          } catch {
            // Not reachable after all: keep it for later.
          }
        }
        await queueScan(scan);
        await countQueue();
        setRecorded("saved on this phone; it will be recorded when back online");
      } finally {
        busy.current = false;
      }
    },
    [gate, location, countQueue],
  );

  const fromPhoto = async (event: Event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const text = await readImage(file).catch(() => undefined);
    if (text) await onScan(text);
    else setProblem("No QR code found in that photo.");
  };

  return (
    <div class="device">
      <header class="device-bar">
        <Link href={signedIn ? "/app" : "/"} class="brand">
          <Logo />
          <span>Attest gate</span>
        </Link>
        <span class={online ? "device-net device-online" : "device-net device-offline"} data-testid="network">
          {online ? "Online" : "Offline"}
        </span>
      </header>
      <main class="device-main">
        <div class="gate-status" data-testid="gate-status">
          {gate ? (
            <span>
              Data as of <strong>{asOf(gate.dataAsOf)}</strong> ({age(gate.dataAsOf)})
            </span>
          ) : (
            <span>No usable trust bundle</span>
          )}
          <span data-testid="queued">{queued === 0 ? "All scans recorded" : `${queued} scan${queued === 1 ? "" : "s"} waiting to sync`}</span>
          {online && !signedIn ? <Link href="/sign-in?next=/gate">Sign in to sync</Link> : null}
        </div>
        {problem ? <Notice tone="error">{problem}</Notice> : null}
        {result ? (
          <Result result={result} recorded={recorded} onNext={() => setResult(undefined)} />
        ) : gate ? (
          <>
            <Scanner onScan={onScan} paused={result !== undefined} />
            <p class="gate-hint">Hold the worker's badge QR code inside the frame.</p>
          </>
        ) : null}
        <details class="gate-more">
          <summary>Gate settings and other ways to scan</summary>
          <div class="field">
            <label for="gate-location">This gate (recorded with each scan)</label>
            <input
              id="gate-location"
              value={location}
              maxLength={120}
              placeholder="e.g. Harbour Tower, north gate"
              onInput={(e) => {
                const value = (e.target as HTMLInputElement).value;
                setLocation(value);
                setItem("gate_location", value);
              }}
            />
          </div>
          <div class="field">
            <label for="gate-photo">Scan from a photo</label>
            <input id="gate-photo" type="file" accept="image/*" onChange={fromPhoto} />
          </div>
          <form
            class="field"
            onSubmit={(e) => {
              e.preventDefault();
              if (manual.trim()) onScan(manual);
            }}
          >
            <label for="gate-code">Enter the badge code</label>
            <input id="gate-code" value={manual} autoComplete="off" spellcheck={false} onInput={(e) => setManual((e.target as HTMLInputElement).value)} />
            <button type="submit" class="button button-small" disabled={!gate}>
              Check
            </button>
          </form>
        </details>
      </main>
    </div>
  );
}
