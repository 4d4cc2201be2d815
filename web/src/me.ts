// Who is signed in, in detail (role, permissions, security state), fetched from /api/v1/me.

import { useEffect, useState } from "preact/hooks";
import { authed } from "./session";

export interface Me {
  user_id: string;
  email: string;
  display_name: string;
  role: string;
  permissions: string[];
  mfa_enabled: boolean;
  recovery_codes_left: number;
  organisation: {
    slug: string;
    name: string;
    region: string;
    region_label: string;
    mfa_required: boolean;
    idle_timeout_minutes: number;
    session_lifetime_hours: number;
  };
}

let cached: Me | undefined;
const listeners = new Set<(me: Me | undefined) => void>();

export async function reloadMe(): Promise<Me> {
  const me = await authed<Me>("GET", "/api/v1/me");
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
