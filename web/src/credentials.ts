// The Credentials product's shapes, status labels and the live readiness stream.

import { useEffect, useRef, useState } from "preact/hooks";
import type { Schema } from "./api";
import { api } from "./api/client";

export type CredentialType = Schema<"TypeView">;
export type Personal = Schema<"PersonalView">;
export type Credential = Schema<"CredentialView">;
export type Status = Credential["status"];
export type Version = Schema<"VersionView">;
export type CredentialDetail = Schema<"CredentialDetail">;
export type Gap = Schema<"GapView">;
export type NamedRef = Schema<"NamedRef">;
export type WorkerSummary = Schema<"WorkerSummary">;
export type SiteClearance = Schema<"SiteClearanceView">;
export type WorkerDetail = Schema<"WorkerDetail">;
export type Share = Schema<"ShareView">;
export type Group = Schema<"GroupView">;
export type Readiness = Schema<"ReadinessView">;
export type JobRole = Schema<"JobRoleView">;
export type Site = Schema<"SiteView">;
export type Requirement = Schema<"RequirementView">;

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
          const response = await api.stream("/api/v1/readiness/live");
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
