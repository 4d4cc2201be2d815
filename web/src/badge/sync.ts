// Getting the trust bundle and the pinned platform key, and sending scans: each queued scan is
// sent with its idempotency key and forgotten only once the server has recorded it (or had
// recorded it before), so a scan is recorded exactly once however often syncing is retried.
import { ApiError, type Schema } from "../api";
import { anonymous, api } from "../api/client";
import { current } from "../session";
import { forgetScan, getItem, queuedScans, setItem, type QueuedScan } from "./store";

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** The pinned platform key: fetched and pinned on first use; never replaced afterwards. */
export async function pinnedPlatformKey(): Promise<Uint8Array | undefined> {
  const pinned = await getItem<Uint8Array>("platform_key");
  if (pinned) return pinned;
  const fetched = await anonymous.get("/api/v1/badges/platform-key").catch(() => undefined);
  if (!fetched || fetched.alg !== "EdDSA") return undefined;
  const key = fromBase64Url(fetched.public_key);
  if (key.length !== 32) return undefined;
  await setItem("platform_key", key);
  return key;
}

/** Downloads the organisation's current trust bundle (needs a signed-in supervisor). */
export async function downloadBundle(): Promise<Uint8Array> {
  const response = await api.stream("/api/v1/badges/bundle");
  return new Uint8Array(await response.arrayBuffer());
}

export type ServerScan = Schema<"ScanResult">;

export function sendScan(scan: QueuedScan, offline: boolean): Promise<ServerScan> {
  return api.post("/api/v1/badges/verify", {
    body: {
      payload: scan.payload,
      scan_id: scan.scan_id,
      scanned_at: scan.scanned_at,
      location: scan.location,
      ...(offline ? { offline: { valid: scan.valid, reason_code: scan.reason_code } } : {}),
    },
  });
}

/** Sends every queued scan; stops at the first that cannot reach the server. Returns how many
 * were recorded. */
export async function syncQueue(): Promise<number> {
  if (!current()) return 0;
  let sent = 0;
  for (const scan of await queuedScans()) {
    try {
      await sendScan(scan, true);
    } catch (e) {
      // Refused for good (a malformed or foreign scan id): drop it rather than retry forever.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 429) {
        await forgetScan(scan.scan_id);
        continue;
      }
      break;
    }
    await forgetScan(scan.scan_id);
    sent += 1;
  }
  return sent;
}
