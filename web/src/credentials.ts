// The Credentials product's shapes, status labels and the live readiness stream.

import { useEffect, useRef, useState } from "preact/hooks";
import { authedStream } from "./session";

export type Status = "valid" | "expiring" | "expired" | "suspended" | "revoked";

export interface CredentialType {
  type_id: string;
  code: string;
  name: string;
  description: string;
  validity_months: number | null;
  archived: boolean;
}

export interface Personal {
  number: string | null;
  notes: string | null;
  evidence_id: string | null;
}

export interface Credential {
  credential_id: string;
  worker_id: string;
  type_id: string;
  type_code: string;
  type_name: string;
  version: number;
  issuer: string;
  issued_on: string;
  expires_on: string | null;
  status: Status;
  state_reason: string | null;
  days_left: number | null;
  personal?: Personal;
}

export interface Version {
  version: number;
  issuer: string;
  issued_on: string;
  expires_on: string | null;
  recorded_at: string;
  personal?: Personal;
}

export interface CredentialDetail extends Credential {
  worker_name: string;
  history: Version[];
}

export interface Gap {
  type_id: string;
  type_code: string;
  type_name: string;
  reason: "missing" | "expired" | "suspended" | "revoked";
}

export interface NamedRef {
  id: string;
  name: string;
}

export interface WorkerSummary {
  worker_id: string;
  name: string;
  job_role: NamedRef | null;
  crews: NamedRef[];
  cleared: boolean;
  credentials: Record<Status, number>;
}

export interface SiteClearance {
  site_id: string;
  name: string;
  assigned: boolean;
  cleared: boolean;
  gaps: Gap[];
}

export interface WorkerDetail {
  worker_id: string;
  name: string;
  job_role: NamedRef | null;
  crews: NamedRef[];
  cleared: boolean;
  job_role_gaps: Gap[];
  sites: SiteClearance[];
  credentials: Credential[];
}

export interface Share {
  total: number;
  cleared: number;
  percent: number;
}

export interface Group extends Share {
  id: string;
  name: string;
}

export interface Readiness {
  today: string;
  expiring_window_days: number;
  overall: Share;
  sites: Group[];
  crews: Group[];
  outlook: { within_30_days: number; within_60_days: number; within_90_days: number; expired: number };
  expiring: { credential_id: string; worker_id: string; worker_name: string; type_code: string; type_name: string; expires_on: string; days_left: number; status: Status }[];
  not_cleared: { worker_id: string; worker_name: string; gaps: Gap[] }[];
}

export interface JobRole {
  job_role_id: string;
  name: string;
}

export interface Site {
  site_id: string;
  name: string;
  address: string;
}

export interface Requirement {
  requirement_id: string;
  type_id: string;
  job_role_id: string | null;
  site_id: string | null;
}

export const STATUS_LABELS: Record<Status, string> = {
  valid: "Valid",
  expiring: "Expiring",
  expired: "Expired",
  suspended: "Suspended",
  revoked: "Revoked",
};

export const STATUS_TONES: Record<Status, "ok" | "warn" | "bad" | "muted"> = {
  valid: "ok",
  expiring: "warn",
  expired: "bad",
  suspended: "bad",
  revoked: "muted",
};

export const GAP_LABELS: Record<Gap["reason"], string> = {
  missing: "missing",
  expired: "expired",
  suspended: "suspended",
  revoked: "revoked",
};

/** A calendar date (YYYY-MM-DD) as people read it. */
export function day(date: string | null | undefined): string {
  if (!date) return "No expiry";
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** "in 12 days", "today", "3 days ago". */
export function relative(days: number | null | undefined): string {
  if (days === null || days === undefined) return "";
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  if (days === -1) return "yesterday";
  const span = Math.abs(days);
  const text = span >= 730 ? `${Math.floor(span / 365)} years` : span >= 120 ? `${Math.round(span / 30.4)} months` : `${span} days`;
  return days > 0 ? `in ${text}` : `${text} ago`;
}

export type LiveState = "connecting" | "live" | "offline" | "paused";

/** How long without a key press, click or touch before live updates pause (so an idle tab does
 * not keep renewing its session past the organisation's idle timeout). */
const IDLE_MS = 10 * 60 * 1000;

let lastActivity = Date.now();
for (const kind of ["pointerdown", "keydown", "touchstart"]) {
  window.addEventListener(kind, () => {
    lastActivity = Date.now();
  }, { passive: true });
}

/** Resolves at the next key press, click or touch. */
function nextActivity(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const kind of ["pointerdown", "keydown", "touchstart"]) window.removeEventListener(kind, done);
      resolve();
    };
    for (const kind of ["pointerdown", "keydown", "touchstart"]) window.addEventListener(kind, done, { passive: true });
  });
}

/**
 * Calls `onChange` whenever the organisation's readiness changes (server-sent events read
 * through fetch, so the access token stays in a header). The stream ends when the access token
 * would; it reconnects with a fresh one if the person has been active lately, and otherwise
 * pauses until they are (`onChange` is then called once, to catch up).
 */
export function useLiveReadiness(onChange: () => void): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    let stopped = false;
    let controller: AbortController | undefined;
    const run = async () => {
      while (!stopped) {
        if (Date.now() - lastActivity > IDLE_MS) {
          setState("paused");
          await nextActivity();
          if (stopped) break;
          callback.current();
        }
        try {
          const response = await authedStream("/api/v1/readiness/live");
          const reader = response.body?.getReader();
          if (!reader) throw new Error("no stream");
          controller = new AbortController();
          controller.signal.addEventListener("abort", () => void reader.cancel());
          const decoder = new TextDecoder();
          let buffer = "";
          for (;;) {
            const { done, value } = await reader.read();
            if (done || stopped) break;
            buffer += decoder.decode(value, { stream: true });
            let end = buffer.indexOf("\n\n");
            while (end >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (block.includes("event: ready")) setState("live");
              if (block.includes("event: changed")) callback.current();
              end = buffer.indexOf("\n\n");
            }
          }
          // The stream ended (the access token's lifetime): reconnect shortly.
          if (!stopped) await new Promise((resolve) => setTimeout(resolve, 500));
        } catch {
          if (!stopped) setState("offline");
          if (!stopped) await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
    };
    void run();
    return () => {
      stopped = true;
      controller?.abort();
    };
  }, []);
  return state;
}
