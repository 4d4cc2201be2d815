// A tagged COSE_Sign1 (RFC 9052) signed with EdDSA, checked with WebCrypto's Ed25519: the same
// checks as the badge crate (crates/badge/src/cose.rs). docs/badge.md specifies the format.
import { decode } from "cborg";

export type Cbor = unknown;

/** A CBOR tag 18 (COSE_Sign1) and what it wraps. */
class Sign1Tag {
  constructor(readonly value: unknown) {}
}

/** Decodes CBOR (maps as Maps, the only tag COSE_Sign1); undefined when it is not such CBOR. */
export function decodeCbor(bytes: Uint8Array): Cbor | undefined {
  try {
    return decode(bytes, { useMaps: true, tags: { 18: (inner) => new Sign1Tag(inner()) } });
  } catch {
    return undefined;
  }
}

export function asMap(v: Cbor): Map<unknown, unknown> | undefined {
  return v instanceof Map ? v : undefined;
}

export function asBytes(v: Cbor): Uint8Array | undefined {
  return v instanceof Uint8Array ? new Uint8Array(v) : undefined;
}

export function asInt(v: Cbor): number | undefined {
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : undefined;
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

export function asText(v: Cbor): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export interface Sign1 {
  protectedBytes: Uint8Array;
  protectedHeader: Map<unknown, unknown>;
  kid: Uint8Array | undefined;
  payload: Uint8Array;
  signature: Uint8Array;
}

const EDDSA = -8;

/** Parses a tagged COSE_Sign1 whose protected `alg` is EdDSA; undefined otherwise. */
export function parseSign1(bytes: Uint8Array): Sign1 | undefined {
  const value = decodeCbor(bytes);
  if (!(value instanceof Sign1Tag) || !Array.isArray(value.value) || value.value.length !== 4) return undefined;
  const [p, u, payload, signature] = value.value as unknown[];
  const protectedBytes = asBytes(p);
  const unprotected = asMap(u);
  const payloadBytes = asBytes(payload);
  const sig = asBytes(signature);
  if (!protectedBytes || !unprotected || !payloadBytes || !sig || sig.length !== 64) return undefined;
  const protectedHeader = protectedBytes.length ? asMap(decodeCbor(protectedBytes)) : new Map();
  if (!protectedHeader || asInt(protectedHeader.get(1)) !== EDDSA) return undefined;
  return { protectedBytes, protectedHeader, kid: asBytes(unprotected.get(4)), payload: payloadBytes, signature: sig };
}

function bstrHeader(len: number): number[] {
  if (len < 24) return [0x40 + len];
  if (len < 0x100) return [0x58, len];
  if (len < 0x10000) return [0x59, len >> 8, len & 0xff];
  return [0x5a, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff];
}

/** The bytes the signature covers: Sig_structure ["Signature1", protected, h'', payload]. */
export function toBeSigned(sign1: Sign1): Uint8Array {
  const context = new TextEncoder().encode("Signature1");
  const parts = [
    [0x84, 0x60 + context.length],
    Array.from(context),
    bstrHeader(sign1.protectedBytes.length),
    Array.from(sign1.protectedBytes),
    [0x40],
    bstrHeader(sign1.payload.length),
    Array.from(sign1.payload),
  ];
  return new Uint8Array(parts.flat());
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Imports a raw 32-byte Ed25519 public key for verifying. */
export function importKey(raw: Uint8Array): Promise<CryptoKey> {
  const id = hex(raw);
  let key = keyCache.get(id);
  if (!key) {
    key = crypto.subtle.importKey("raw", raw as BufferSource, { name: "Ed25519" }, false, ["verify"]);
    keyCache.set(id, key);
  }
  return key;
}

/** Whether `key` signed this COSE_Sign1. */
export async function signedBy(sign1: Sign1, key: Uint8Array): Promise<boolean> {
  try {
    const imported = await importKey(key);
    return await crypto.subtle.verify({ name: "Ed25519" }, imported, sign1.signature as BufferSource, toBeSigned(sign1) as BufferSource);
  } catch {
    return false;
  }
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
