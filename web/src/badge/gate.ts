// The gate's offline verifier, in the browser: opens the trust bundle with the pinned platform
// key, then checks scanned badges against it exactly as crates/badge does (docs/badge.md): the
// issuer's keys only, the key's validity when the badge was issued, expiry, the status list.
import { base45Decode } from "./base45";
import { asBytes, asInt, asMap, asText, decodeCbor, parseSign1, sameBytes, signedBy, type Sign1 } from "./cose";

export const PREFIX = "AT1:";

export interface TrustedKey {
  org: string;
  kid: Uint8Array;
  key: Uint8Array;
  from: number;
  until: number | null;
}

interface StatusList {
  uri: string;
  expiresAt: number;
  bits: Uint8Array;
}

export interface Gate {
  dataAsOf: number;
  maxOfflineAge: number;
  keys: TrustedKey[];
  lists: StatusList[];
  names: { org: string; code: string; name: string }[];
}

export interface GateCredential {
  code: string;
  name: string;
  status: "valid" | "expiring" | "expired" | "suspended" | "revoked";
  expires: string | null;
}

export interface GateResult {
  valid: boolean;
  reasonCode: string | null;
  reason: string | null;
  name: string | null;
  credentials: GateCredential[];
  dataAsOf: number;
}

/** The reasons a badge is refused, worded for the gate's screen (as crates/badge words them). */
export const REASONS: Record<string, string> = {
  wrong_prefix: "Not an Attest badge (wrong prefix)",
  malformed: "The badge is damaged or incomplete",
  unknown_key: "Signed by a key this gate does not know",
  bad_signature: "The signature does not match: the badge was altered or forged",
  key_not_valid: "Signed with a key that was not valid then",
  expired: "The badge has expired; refresh it in the worker app",
  not_yet_valid: "The badge is not valid yet (check the device clock)",
  revoked: "The badge has been revoked",
  no_status_list: "This gate has no current status list for the badge's organisation",
  data_too_old: "This gate's data is too old to rely on: connect to refresh it",
};

export class BundleRefused extends Error {
  constructor(
    readonly code: "malformed" | "bad_signature" | "too_old" | "clock_behind",
    message: string,
  ) {
    super(message);
  }
}

/** How far the device clock may be behind the bundle's. */
export const CLOCK_TOLERANCE_SECS = 300;

const STATUS_NAMES = ["valid", "expiring", "expired", "suspended", "revoked"] as const;

async function inflate(bytes: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate"));
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > 1 << 20) return undefined;
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } catch {
    return undefined;
  }
}

async function signer(sign1: Sign1, keys: TrustedKey[]): Promise<TrustedKey | "unknown_key" | "bad_signature"> {
  const key = keys.find((k) => sameBytes(k.kid, sign1.kid));
  if (!key) return "unknown_key";
  return (await signedBy(sign1, key.key)) ? key : "bad_signature";
}

/** A status-list token, if one of `keys` signed it and it is current at `now`. */
export async function openStatusList(token: Uint8Array, keys: TrustedKey[], now: number): Promise<StatusList | undefined> {
  const sign1 = parseSign1(token);
  if (!sign1 || asText(sign1.protectedHeader.get(16)) !== "application/statuslist+cwt") return undefined;
  if (typeof (await signer(sign1, keys)) === "string") return undefined;
  const claims = asMap(decodeCbor(sign1.payload));
  const list = asMap(claims?.get(65533));
  const uri = asText(claims?.get(2));
  const exp = asInt(claims?.get(4));
  const lst = asBytes(list?.get("lst"));
  if (!claims || !list || uri === undefined || exp === undefined || !lst || asInt(list.get("bits")) !== 1 || now >= exp) return undefined;
  const bits = await inflate(lst);
  return bits ? { uri, expiresAt: exp, bits } : undefined;
}

/** Opens a bundle with the pinned platform key at the device's `now` (seconds). */
export async function openBundle(bytes: Uint8Array, platformKey: Uint8Array, now: number): Promise<Gate> {
  const sign1 = parseSign1(bytes);
  if (!sign1) throw new BundleRefused("malformed", "The trust bundle is damaged.");
  if (!(await signedBy(sign1, platformKey))) {
    throw new BundleRefused("bad_signature", "The trust bundle is not signed by the platform key this gate trusts.");
  }
  const map = asMap(decodeCbor(sign1.payload));
  const iat = asInt(map?.get("iat"));
  const maxAge = asInt(map?.get("max_offline_age"));
  const keysValue = map?.get("keys");
  const listsValue = map?.get("status_lists");
  const namesValue = map?.get("type_names");
  if (!map || iat === undefined || maxAge === undefined || !Array.isArray(keysValue) || !Array.isArray(listsValue) || !Array.isArray(namesValue)) {
    throw new BundleRefused("malformed", "The trust bundle is damaged.");
  }
  if (now + CLOCK_TOLERANCE_SECS < iat) {
    throw new BundleRefused("clock_behind", "This device's clock is behind the trust bundle's: set the clock and try again.");
  }
  if (now > iat + maxAge) {
    throw new BundleRefused("too_old", "The trust bundle is too old to rely on: connect to refresh it.");
  }
  const keys: TrustedKey[] = [];
  for (const k of keysValue) {
    const m = asMap(k);
    const org = asText(m?.get("org"));
    const kid = asBytes(m?.get("kid"));
    const key = asBytes(m?.get("key"));
    const from = asInt(m?.get("from"));
    const untilValue = m?.get("until");
    const until = untilValue === null || untilValue === undefined ? null : (asInt(untilValue) ?? null);
    if (org !== undefined && kid?.length === 8 && key?.length === 32 && from !== undefined) keys.push({ org, kid, key, from, until });
  }
  const lists: StatusList[] = [];
  for (const token of listsValue) {
    const bytes = asBytes(token);
    const list = bytes ? await openStatusList(bytes, keys, now) : undefined;
    if (list) lists.push(list);
  }
  const names = namesValue.flatMap((n) => {
    if (!Array.isArray(n) || n.length !== 3) return [];
    const [org, code, name] = n.map(asText);
    return org !== undefined && code !== undefined && name !== undefined ? [{ org, code, name }] : [];
  });
  return { dataAsOf: iat, maxOfflineAge: maxAge, keys, lists, names };
}

function isoDay(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** Checks a scanned payload offline at `now` (seconds since the epoch). */
export async function checkBadge(gate: Gate, payload: string, now: number): Promise<GateResult> {
  const refuse = (code: string): GateResult => ({ valid: false, reasonCode: code, reason: REASONS[code] ?? code, name: null, credentials: [], dataAsOf: gate.dataAsOf });
  // A gate left open past its data's life stops vouching for anyone until it refreshes.
  if (now > gate.dataAsOf + gate.maxOfflineAge) return refuse("data_too_old");
  const text = payload.trim();
  if (!text.startsWith(PREFIX)) return refuse("wrong_prefix");
  const bytes = base45Decode(text.slice(PREFIX.length));
  const sign1 = bytes ? parseSign1(bytes) : undefined;
  const claims = sign1 ? asMap(decodeCbor(sign1.payload)) : undefined;
  if (!sign1 || !claims || sign1.kid?.length !== 8) return refuse("malformed");
  const issuer = asText(claims.get(1));
  const name = asText(claims.get(-65537));
  const iat = asInt(claims.get(6));
  const exp = asInt(claims.get(4));
  const status = asMap(asMap(claims.get(65535))?.get("status_list"));
  const index = asInt(status?.get("idx"));
  const uri = asText(status?.get("uri"));
  const creds = claims.get(-65538);
  if (issuer === undefined || name === undefined || iat === undefined || exp === undefined || index === undefined || uri === undefined || !Array.isArray(creds)) {
    return refuse("malformed");
  }
  // Only a key of the organisation the badge names may vouch for it.
  const key = await signer(sign1, gate.keys.filter((k) => k.org === issuer));
  if (typeof key === "string") return refuse(key);
  if (iat < key.from || (key.until !== null && iat > key.until)) return refuse("key_not_valid");
  if (now >= exp) return refuse("expired");
  if (now < iat) return refuse("not_yet_valid");
  const list = gate.lists.find((l) => l.uri === uri && now < l.expiresAt);
  if (!list) return refuse("no_status_list");
  const byte = list.bits[Math.floor(index / 8)] ?? 0;
  if ((byte >> (index % 8)) & 1) return refuse("revoked");
  const today = Math.floor(now / 86_400);
  const credentials: GateCredential[] = [];
  for (const c of creds) {
    if (!Array.isArray(c) || c.length !== 3) return refuse("malformed");
    const code = asText(c[0]);
    const statusCode = asInt(c[1]);
    const expiresDay = c[2] === null ? null : asInt(c[2]);
    if (code === undefined || statusCode === undefined || expiresDay === undefined || !STATUS_NAMES[statusCode]) return refuse("malformed");
    let state = STATUS_NAMES[statusCode]!;
    if ((state === "valid" || state === "expiring") && expiresDay !== null && expiresDay < today) state = "expired";
    credentials.push({
      code,
      name: gate.names.find((n) => n.org === issuer && n.code === code)?.name ?? code,
      status: state,
      expires: expiresDay === null ? null : isoDay(expiresDay),
    });
  }
  return { valid: true, reasonCode: null, reason: null, name, credentials, dataAsOf: gate.dataAsOf };
}
