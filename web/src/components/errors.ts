import { ApiError } from "../api";

/** Any thrown value as an ApiError, so forms can show its message and request id. */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, { code: "error", message: String(e), request_id: "" });
}
