// The typed API client (src/api): how it builds a request's URL, and, checked by `tsc` at build
// time (the @ts-expect-error lines fail the build if the client accepts them), that it refuses
// what the server's OpenAPI document does not allow.
import { expect, test } from "@playwright/test";
import { api } from "../src/api/client";
import { type PathOf, url } from "../src/api/typed";

test("placeholders are filled and encoded; undefined query values are left out", () => {
  expect(url("/api/v1/workers/{worker_id}", { path: { worker_id: "a/b c" } })).toBe("/api/v1/workers/a%2Fb%20c");
  expect(url("/api/v1/audit/events", { query: { actor: undefined, limit: 50, before: 7 } })).toBe("/api/v1/audit/events?limit=50&before=7");
  expect(url("/api/v1/requisitions/upload", { query: { title: "", file_name: "a&b.txt" } })).toBe("/api/v1/requisitions/upload?title=&file_name=a%26b.txt");
  expect(url("/api/v1/meta")).toBe("/api/v1/meta");
  expect(() => url("/api/v1/workers/{worker_id}", {})).toThrow(/worker_id/);
});

test("only documented routes and methods type-check", () => {
  const get: PathOf<"get">[] = ["/api/v1/meta", "/api/v1/workers/{worker_id}"];
  // @ts-expect-error: no such route
  const missing: PathOf<"get"> = "/api/v1/nothing-here";
  // @ts-expect-error: the route takes no GET
  const wrongMethod: PathOf<"get"> = "/api/v1/auth/sign-in";
  const deletes: PathOf<"delete">[] = ["/api/v1/me/sessions/{session_id}"];
  expect([...get, missing, wrongMethod, ...deletes]).toHaveLength(5);
});

/** Never called: only type-checked. */
export function wrongCalls() {
  // @ts-expect-error: `name` and `role` are required
  void api.post("/api/v1/members", { body: { email: "a@b.example" } });
  // @ts-expect-error: the path parameter is required
  void api.get("/api/v1/workers/{worker_id}");
  // @ts-expect-error: a query parameter of the wrong type
  void api.get("/api/v1/audit/events", { query: { limit: "fifty" } });
}
