/**
 * Scope check after authentication: a valid key without the route's scope gets 403 (never 404, since
 * the caller may see that the route exists). `admin` ⊇ `scan` ⊇ `read`; `admission` stands alone.
 */
import type { MiddlewareHandler } from "hono";
import { type Scope, scopeAllows } from "../../auth/keys.ts";
import { ApiProblem } from "../problem.ts";
import type { AppEnv } from "../types.ts";

/** Rejects with 403 `insufficient-scope` unless `c.var.auth.scopes` grants `needed`. */
export function requireScope(needed: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!scopeAllows(c.var.auth.scopes, needed)) {
      throw new ApiProblem(
        "insufficient-scope",
        `This API key lacks the "${needed}" scope this route needs.`,
      );
    }
    await next();
  };
}
