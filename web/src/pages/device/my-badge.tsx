// The worker's badge on their phone: the signed QR code a gate verifies offline. Kept on the
// phone so it shows with no connection, and fetched afresh before it expires whenever online.
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { Logo } from "../../components/brand";
import { Badge, Notice, Spinner } from "../../components/ui";
import { getItem, setItem } from "../../badge/store";
import { Link } from "../../router";
import { api, type Schema } from "../../api/client";
import { current, refresh } from "../../session";

export type OwnBadge = Schema<"OwnBadge">;

/** The stored badge is the signed-in worker's only: forgotten on sign-out. */
export const BADGE_KEY = "own_badge";

const TONE = { valid: "ok", expiring: "warn", expired: "bad", suspended: "bad", revoked: "bad" } as const;

export function MyBadgePage() {
  const [badge, setBadge] = useState<OwnBadge>();
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<string>();
  const [online, setOnline] = useState(navigator.onLine);

  const fetchBadge = useCallback(async () => {
    if (!navigator.onLine) return;
    if (!current() && !(await refresh())) return;
    try {
      const fresh = await api.get("/api/v1/me/badge");
      await setItem(BADGE_KEY, fresh);
      setBadge(fresh);
      setProblem(undefined);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : "The badge could not be fetched.");
    }
  }, []);

  useEffect(() => {
    (async () => {
      const stored = await getItem<OwnBadge>(BADGE_KEY);
      if (stored) setBadge(stored);
      if (!stored || Date.now() >= Date.parse(stored.refresh_after) || navigator.onLine) await fetchBadge();
      setLoading(false);
    })();
    const goOnline = () => {
      setOnline(true);
      fetchBadge();
    };
    const goOffline = () => setOnline(false);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    return () => {
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
    };
  }, [fetchBadge]);

  // Fetch a fresh one when this one reaches its refresh time (checked every minute).
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (badge && Date.now() >= Date.parse(badge.refresh_after)) fetchBadge();
    }, 60_000);
    return () => clearInterval(timer);
  }, [badge, fetchBadge]);

  const image = useMemo(() => (badge ? URL.createObjectURL(new Blob([badge.svg], { type: "image/svg+xml" })) : undefined), [badge]);
  useEffect(() => () => (image ? URL.revokeObjectURL(image) : undefined), [image]);

  const expired = badge ? Date.now() >= Date.parse(badge.expires_at) : false;
  return (
    <div class="device">
      <header class="device-bar">
        <Link href={current() ? "/app" : "/"} class="brand">
          <Logo />
          <span>My badge</span>
        </Link>
        <span class={online ? "device-net device-online" : "device-net device-offline"}>{online ? "Online" : "Offline"}</span>
      </header>
      <main class="device-main">
        {loading && !badge ? <Spinner label="Loading your badge…" /> : null}
        {problem ? <Notice tone="error">{problem}</Notice> : null}
        {!loading && !badge ? (
          <Notice tone="info">
            <Link href="/sign-in?next=/badge">Sign in</Link> once while online to get your badge; it then shows here without a connection.
          </Notice>
        ) : null}
        {badge ? (
          <section class="own-badge" aria-label="Your badge" data-testid="own-badge">
            <h1 class="own-badge-name">{badge.name}</h1>
            {expired ? (
              <Notice tone="error">This badge has expired. Connect to the internet to get a fresh one.</Notice>
            ) : (
              <img class="own-badge-qr" src={image} alt="Your badge QR code" width={320} height={320} data-payload={badge.payload} />
            )}
            <p class="own-badge-valid">
              Valid until {new Date(badge.expires_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}
              {online ? " · refreshed automatically" : " · offline copy"}
            </p>
            <ul class="gate-credentials">
              {badge.credentials.map((c) => (
                <li key={c.code}>
                  <span class="gate-credential-name">{c.name}</span>
                  <Badge tone={TONE[c.status]}>{c.status}</Badge>
                  <span class="gate-credential-until">{c.expires ? `until ${c.expires}` : "no expiry"}</span>
                </li>
              ))}
            </ul>
            <p class="own-badge-note">
              The gate sees your name and the names and statuses of your credentials — never numbers, notes or files.
            </p>
          </section>
        ) : null}
      </main>
    </div>
  );
}
