// The signed-in session, kept in memory only: the access token never touches localStorage or
// sessionStorage. The refresh token lives in an HttpOnly cookie that scripts cannot read; on a
// page load, or when the access token has expired, the app asks the server to refresh it.
// Refreshing happens only when a request needs it, so an idle tab does not keep a session alive:
// the organisation's idle timeout applies.

import { ApiError, type ErrorBody, type Schema, request } from "./api";
import { anonymous } from "./api/typed";

export type SessionUser = Schema<"UserView">;
export type SessionOrganisation = Schema<"OrganisationBrief">;
export type SignedIn = Schema<"SignedInBody">;
export type MfaStep = Schema<"MfaStep">;

interface State {
  accessToken: string;
  expiresAt: number;
  user: SessionUser;
  organisation: SessionOrganisation;
}

let state: State | undefined;
const listeners = new Set<() => void>();

function set(next: State | undefined) {
  state = next;
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function current(): { user: SessionUser; organisation: SessionOrganisation } | undefined {
  return state ? { user: state.user, organisation: state.organisation } : undefined;
}

/** Takes a signed-in response from sign-in, the MFA step or a refresh. */
export function accept(signedIn: SignedIn) {
  set({
    accessToken: signedIn.access_token,
    // Renew a little early, so a request never leaves with a token about to expire.
    expiresAt: Date.now() + Math.max(0, signedIn.expires_in - 20) * 1000,
    user: signedIn.user,
    organisation: signedIn.organisation,
  });
}

let refreshing: Promise<boolean> | undefined;

/** Whether a session may exist: the server sets a readable hint cookie (no secret) beside the
 * HttpOnly refresh cookie, so that a signed-out page load does not call the refresh endpoint. */
function mayHaveSession(): boolean {
  return document.cookie.split(";").some((c) => c.trim().startsWith("__Host-attest_session="));
}

/** Runs `work` holding the browser-wide refresh lock where there is one. Every refresh rotates
 * the refresh cookie, and the server treats an already-rotated cookie as stolen (it ends the
 * session), so two tabs must never refresh with the same cookie at once: each waits for the
 * other and then sends the cookie the other left. */
function oneTabAtATime<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request("attest-refresh", work) as Promise<T>) : work();
}

/** Renews the access token from the refresh cookie. False when there is no session. */
export function refresh(): Promise<boolean> {
  if (!mayHaveSession()) {
    set(undefined);
    return Promise.resolve(false);
  }
  refreshing ??= oneTabAtATime(() => anonymous.post("/api/v1/auth/refresh"))
    .then((signedIn) => {
      accept(signedIn);
      return true;
    })
    .catch(() => {
      set(undefined);
      return false;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

let signedOutOnPurpose = false;

export async function signOut() {
  signedOutOnPurpose = true;
  try {
    await anonymous.post("/api/v1/auth/sign-out");
  } finally {
    set(undefined);
  }
}

/** Whether the session just ended because the person signed out (not because it expired). */
export function consumeSignedOut(): boolean {
  const was = signedOutOnPurpose;
  signedOutOnPurpose = false;
  return was;
}

async function freshToken(): Promise<string> {
  if (!state || Date.now() >= state.expiresAt) {
    if (!(await refresh())) throw new ApiError(401, { code: "unauthenticated", message: "Sign in to continue.", request_id: "" });
  }
  return state?.accessToken ?? "";
}

/** The API error of a failed response (its body in the error shape, if it has one). */
async function failure(response: Response, fallback: string): Promise<ApiError> {
  const body = (await response.json().catch(() => undefined)) as Partial<ErrorBody> | undefined;
  return new ApiError(response.status, {
    code: body?.code ?? "error",
    message: body?.message ?? `${fallback} (${response.status}).`,
    request_id: body?.request_id ?? response.headers.get("x-request-id") ?? "",
    ...(body?.fields ? { fields: body.fields } : {}),
  });
}

const unreachable = () => new ApiError(0, { code: "network", message: "Attest could not be reached. Check your connection and try again.", request_id: "" });

/** A GET as the signed-in person whose body the caller reads as it arrives (downloads). */
export async function authedStream(path: string): Promise<Response> {
  const token = await freshToken();
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin", headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw unreachable();
  }
  if (!response.ok) throw await failure(response, "The request failed");
  return response;
}

/** An API call as the signed-in person; renews the access token first if it has expired. */
export async function authed<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = await freshToken();
  try {
    return await request<T>(method, path, body, token);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && (e.code === "session_ended" || e.code === "invalid_token")) {
      set(undefined);
    }
    throw e;
  }
}

/** Sends a file as the raw request body (evidence uploads, imports); the caller reads the response. */
export async function authedSend(path: string, file: Blob): Promise<Response> {
  const token = await freshToken();
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/octet-stream" },
      body: file,
    });
  } catch {
    throw unreachable();
  }
  if (!response.ok) throw await failure(response, "The upload failed");
  return response;
}

/** Uploads a file as the raw request body and returns the JSON answer (evidence files). */
export async function authedUpload<T>(path: string, file: Blob): Promise<T> {
  return (await (await authedSend(path, file)).json()) as T;
}

/** Reads a response of JSON lines as they arrive, calling `onLine` for each. */
export async function readLines(response: Response, onLine: (line: unknown) => void): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    buffer += decoder.decode(value, { stream: !done });
    let end = buffer.indexOf("\n");
    while (end >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (line) onLine(JSON.parse(line));
      end = buffer.indexOf("\n");
    }
    if (done) break;
  }
  if (buffer.trim()) onLine(JSON.parse(buffer));
}
