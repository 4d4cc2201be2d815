import { useEffect, useState } from "preact/hooks";
import { anonymous, type Schema } from "./api/client";
import { AppLayout } from "./components/app-layout";
import { PublicLayout } from "./components/layout";
import { Spinner } from "./components/ui";
import { NotFoundPage } from "./pages/not-found";
import { navigate, useLocation } from "./router";
import { inApp as isInApp, match } from "./routes";
import { consumeSignedOut, current, refresh, subscribe } from "./session";

export function App() {
  const location = useLocation();
  const path = location.pathname;
  const [meta, setMeta] = useState<Schema<"Meta"> | undefined>();
  const [ready, setReady] = useState(false);
  const [signedIn, setSignedIn] = useState(current() !== undefined);

  useEffect(() => {
    anonymous.get("/api/v1/meta").then(setMeta, () => setMeta(undefined));
    // A page load: the access token is gone (memory only); the refresh cookie may bring it back.
    refresh().finally(() => setReady(true));
    return subscribe(() => setSignedIn(current() !== undefined));
  }, []);

  const found = match(path);
  useEffect(() => {
    const title = found?.route.title;
    document.title = title ? (path === "/" ? "Attest" : `${title} · Attest`) : "Not found · Attest";
  }, [path]);

  const inApp = isInApp(path);
  useEffect(() => {
    if (!ready) return;
    if (inApp && !signedIn) navigate(consumeSignedOut() ? "/sign-in" : `/sign-in?next=${encodeURIComponent(path)}`, { replace: true });
    if (!inApp && signedIn && (path === "/" || path === "/sign-in")) navigate("/app", { replace: true });
  }, [ready, inApp, signedIn, path]);

  // The phone pages work signed out and offline (from what the phone keeps).
  if (ready && found?.route.area === "device") return found.route.render({ id: found.id, meta });
  if (!ready || (inApp && !signedIn)) {
    return (
      <div class="splash">
        <Spinner label="Loading Attest…" />
      </div>
    );
  }
  const page = found ? found.route.render({ id: found.id, meta }) : <NotFoundPage />;
  return inApp ? <AppLayout>{page}</AppLayout> : <PublicLayout meta={meta}>{page}</PublicLayout>;
}
