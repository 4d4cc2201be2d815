// The one typed client of the JSON API. Paths, path and query parameters, request bodies and
// answers are checked against the types generated from the server's OpenAPI document
// (`web/openapi.json` → `schema.d.ts`, by openapi-typescript at build time), so the web app
// cannot call a route that does not exist or send what it does not take.
//
//   const worker = await api.get("/api/v1/workers/{worker_id}", { path: { worker_id } });
//
// `api` calls as the signed-in person (renewing the access token when needed); `anonymous`
// calls without a session (signing in, sign-up, emailed links, the public analysis).
import { authed, authedSend, authedStream } from "../session";
import { type Answer, type Op, type OptionsArg, type Parts, type PathOf, caller, url } from "./typed";

export type { Schema } from "./index";
export { anonymous } from "./typed";

/** The API as the signed-in person. */
export const api = {
  ...caller(authed),
  /** A GET whose body the caller reads as it arrives (downloads, JSON lines, live updates). */
  stream: <P extends PathOf<"get">>(path: P, ...[options]: OptionsArg<Op<P, "get">>): Promise<Response> => authedStream(url(path, (options ?? {}) as Parts)),
  /** Sends `file` as the raw body of a POST; the caller reads the response as it arrives. */
  send: <P extends PathOf<"post">>(path: P, file: Blob, ...[options]: OptionsArg<Op<P, "post">>): Promise<Response> =>
    authedSend(url(path, (options ?? {}) as Parts), file),
  /** Sends `file` as the raw body of a POST and returns the JSON answer. */
  upload: async <P extends PathOf<"post">>(path: P, file: Blob, ...[options]: OptionsArg<Op<P, "post">>): Promise<Answer<P, "post">> =>
    (await (await authedSend(url(path, (options ?? {}) as Parts), file)).json()) as Answer<P, "post">,
};
