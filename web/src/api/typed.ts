// The typing of the API client (see ./client): paths, their parameters, bodies and answers, from
// the types generated from the server's OpenAPI document; and the API without a session.
import { request } from "./index";
import type { paths } from "./schema";

export type { Schema } from "./index";

export type Method = "get" | "put" | "post" | "patch" | "delete";
export type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The API's paths that answer `M`. */
export type PathOf<M extends Method> = { [P in keyof paths]: [Op<P, M>] extends [never] ? never : P }[keyof paths];

type Parameters<O> = O extends { parameters: infer X } ? X : object;
type PathPart<O> = Parameters<O> extends { path: infer X } ? ([X] extends [never] ? object : { path: X }) : object;
/** Query parameters; one left undefined is not sent. */
type Query<X> = { [K in keyof X]?: X[K] | undefined };
type QueryPart<O> = Parameters<O> extends { query?: infer X } ? ([X] extends [never | undefined] ? object : { query?: Query<NonNullable<X>> }) : object;
type BodyPart<O> = O extends { requestBody: { content: { "application/json": infer B } } }
  ? { body: B }
  : O extends { requestBody?: { content: { "application/json": infer B } } }
    ? { body?: B }
    : object;

/** What a call to operation `O` takes besides its path. */
export type Options<O> = PathPart<O> & QueryPart<O> & BodyPart<O>;
export type OptionsArg<O> = object extends Options<O> ? [options?: Options<O>] : [options: Options<O>];

type Success<O> = O extends { responses: infer R } ? R[Extract<keyof R, 200 | 201 | 202>] : never;
type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : void;
/** What operation `M` of `P` answers on success (`void` for `204 No Content`). */
export type Answer<P extends keyof paths, M extends Method> = [Success<Op<P, M>>] extends [never] ? void : JsonOf<Success<Op<P, M>>>;

export interface Parts {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

/** `template` with its `{placeholders}` filled and the query appended. */
export function url(template: string, parts: Parts = {}): string {
  const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = parts.path?.[name];
    if (value === undefined) throw new Error(`${template}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(parts.query ?? {})) {
    if (value !== undefined) query.set(key, String(value));
  }
  const search = query.toString();
  return search ? `${filled}?${search}` : filled;
}

export function caller(send: (method: string, path: string, body?: unknown) => Promise<unknown>) {
  const call =
    <M extends Method>(method: M) =>
    <P extends PathOf<M>>(path: P, ...[options]: OptionsArg<Op<P, M>>): Promise<Answer<P, M>> => {
      const parts = (options ?? {}) as Parts;
      return send(method.toUpperCase(), url(path, parts), parts.body) as Promise<Answer<P, M>>;
    };
  return { get: call("get"), put: call("put"), post: call("post"), patch: call("patch"), delete: call("delete") };
}

/** The API without a session (signing in, sign-up, emailed links, the public analysis). */
export const anonymous = caller((method, path, body) => request(method, path, body));
