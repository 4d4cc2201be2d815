// Calling the JSON API: one request, and its one error shape {code, message, request_id,
// fields?}. Pages call the API through the typed client in ./client.
import type { components } from "./schema";

/** A schema of the API by name, as the server's OpenAPI document defines it, e.g.
 * `Schema<"MemberView">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

export interface ErrorBody {
  code: string;
  message: string;
  request_id: string;
  fields?: Record<string, string>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string;
  readonly fields: Record<string, string>;

  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.requestId = body.request_id;
    this.fields = body.fields ?? {};
  }
}

export async function request<T>(method: string, path: string, body?: unknown, accessToken?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const init: RequestInit = { method, credentials: "same-origin", headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, {
      code: "network",
      message: "Attest could not be reached. Check your connection and try again.",
      request_id: "",
    });
  }
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = parsed as Partial<ErrorBody> | undefined;
    throw new ApiError(response.status, {
      code: error?.code ?? "error",
      message: error?.message ?? `The request failed (${response.status}).`,
      request_id: error?.request_id ?? response.headers.get("x-request-id") ?? "",
      ...(error?.fields ? { fields: error.fields } : {}),
    });
  }
  return parsed as T;
}
