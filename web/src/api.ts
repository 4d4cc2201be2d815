// The JSON API client. Every error has one shape: {code, message, request_id, fields?}.

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

export interface Region {
  code: string;
  label: string;
}

export interface Meta {
  product: string;
  version: string;
  regions: Region[];
  demo: boolean;
}

export interface Organisation {
  org_id: string;
  slug: string;
  name: string;
  region: string;
  created_at: string;
}

export interface CreatedOrganisation {
  organisation: Organisation;
  admin: { user_id: string; email: string };
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

export const getMeta = () => request<Meta>("GET", "/api/v1/meta");

export const createOrganisation = (body: {
  slug: string;
  name: string;
  region: string;
  admin: { email: string; name: string; password: string };
}) => request<CreatedOrganisation>("POST", "/api/v1/organisations", body);

export const post = <T>(path: string, body: unknown) => request<T>("POST", path, body);
