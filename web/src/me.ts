// Who is signed in, in detail (role, permissions, security state), fetched from /api/v1/me.

import { useEffect, useState } from "preact/hooks";
import { api, type Schema } from "./api/client";

export type Me = Schema<"Me">;

let cached: Me | undefined;
const listeners = new Set<(me: Me | undefined) => void>();

export async function reloadMe(): Promise<Me> {
  const me = await api.get("/api/v1/me");
  cached = me;
  for (const listener of listeners) listener(me);
  return me;
}

export function forgetMe() {
  cached = undefined;
  for (const listener of listeners) listener(undefined);
}

/** The signed-in person's details; loads them on first use. */
export function useMe(): Me | undefined {
  const [me, setMe] = useState<Me | undefined>(cached);
  useEffect(() => {
    listeners.add(setMe);
    if (!cached) reloadMe().catch(() => undefined);
    return () => {
      listeners.delete(setMe);
    };
  }, []);
  return me;
}

export function can(me: Me | undefined, permission: string): boolean {
  return me?.permissions.includes(permission) ?? false;
}

export const ROLE_NAMES: Record<string, string> = {
  worker: "Worker",
  supervisor: "Supervisor",
  hse_manager: "HSE manager",
  auditor: "Auditor",
  org_admin: "Organisation admin",
  requisition_author: "Requisition author",
  compliance_reviewer: "Compliance reviewer",
};

export function roleName(key: string): string {
  return ROLE_NAMES[key] ?? key;
}
