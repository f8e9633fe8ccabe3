/**
 * Authentication → tenant: `Authorization: Bearer <API key>` is verified against the store and the
 * key's tenant becomes the request's tenant. Everything under /v1 goes through here.
 */
import type { MiddlewareHandler } from "hono";
import { ApiProblem } from "../problem.ts";
import type { AppEnv } from "../types.ts";

const CHALLENGE = 'Bearer realm="kubeguard"';

/** Rejects with 401 unless a valid key is presented; sets `c.var.auth` (key id, tenant id, scopes). */
export function auth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) {
      throw new ApiProblem("unauthorized", "Send Authorization: Bearer <API key>.", {
        headers: { "WWW-Authenticate": CHALLENGE },
      });
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    const { store, clock } = c.var.deps;
    const identity = match?.[1] ? await store.apiKeys.verify(match[1], clock.now()) : undefined;
    if (!identity) {
      throw new ApiProblem("unauthorized", "The API key is not valid.", {
        headers: { "WWW-Authenticate": `${CHALLENGE}, error="invalid_token"` },
      });
    }
    c.set("auth", identity);
    await next();
  };
}
