// The gate's TypeScript verifier (src/badge/gate.ts) against the badge format's golden vectors
// (crates/badge/tests/vectors, which the Rust verifier and pycose check too): each vector's
// keys, status list and clock make the gate, and the verdict must be the expected one.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { checkBadge, openStatusList, type Gate, type TrustedKey } from "../src/badge/gate";

const VECTORS = join(dirname(fileURLToPath(import.meta.url)), "../../crates/badge/tests/vectors");

interface Vector {
  PREFIX: string;
  JSON: Record<string, unknown>;
  EXPECTEDRESULTS: { EXPECTEDVALIDOBJECT: boolean; EXPECTEDREASON: string | null };
  TESTCTX: {
    DESCRIPTION: string;
    KEYS: { kid: string; org: string; public_key: string; valid_from: string; valid_until: string | null }[];
    STATUSLIST: string;
    VALIDATIONCLOCK: string;
  };
}

const unhex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const seconds = (iso: string) => Date.parse(iso) / 1000;

const files = readdirSync(VECTORS).filter((f) => f.endsWith(".json")).sort();

test("all ten golden vectors are here", () => {
  expect(files).toHaveLength(10);
});

for (const file of files) {
  test(`gate verifier: ${file}`, async () => {
    const v = JSON.parse(readFileSync(join(VECTORS, file), "utf8")) as Vector;
    const now = seconds(v.TESTCTX.VALIDATIONCLOCK);
    const keys: TrustedKey[] = v.TESTCTX.KEYS.map((k) => ({
      org: k.org,
      kid: unhex(k.kid),
      key: unhex(k.public_key),
      from: seconds(k.valid_from),
      until: k.valid_until === null ? null : seconds(k.valid_until),
    }));
    const list = await openStatusList(unhex(v.TESTCTX.STATUSLIST), keys, now);
    expect(list, "the vector's status list opens with its keys").toBeDefined();
    const gate: Gate = { dataAsOf: now, maxOfflineAge: 86_400, keys, lists: list ? [list] : [], names: [] };
    const result = await checkBadge(gate, v.PREFIX, now);
    expect(result.valid, v.TESTCTX.DESCRIPTION).toBe(v.EXPECTEDRESULTS.EXPECTEDVALIDOBJECT);
    expect(result.reasonCode, v.TESTCTX.DESCRIPTION).toBe(v.EXPECTEDRESULTS.EXPECTEDREASON);
    if (result.valid) {
      expect(result.name).toBe(v.JSON["-65537 name"]);
      const claimed = v.JSON["-65538 credentials"] as [string, number, number | null][];
      expect(result.credentials.map((c) => c.code)).toEqual(claimed.map(([code]) => code));
    }
  });
}
