/**
 * Scope check after authentication: a valid key without the route's scope gets 403 (never 404, since
 * the caller may see that the route exists). `admin` ⊇ `scan` ⊇ `read`; `admission` stands alone.
 *
 * Every tenant route declares its scope twice, on purpose: `security: scopeSecurity("read")` in its
 * OpenAPI definition (the role-name form OpenAPI 3.1 allows for non-OAuth schemes, so the generated
 * document says which scope each operation needs) and `requireScope("read")` first in its middleware
 * (the enforcement). test/api/auth-matrix.test.ts reads the scope from the document and checks the
 * enforcement on every route, so the two cannot drift apart.
 */
import type { MiddlewareHandler } from "hono";
import { SCOPE_GRANTS, SCOPES, type Scope, scopeAllows } from "../../auth/keys.ts";
import { ApiProblem, problemResponses } from "../problem.ts";
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

/**
 * The OpenAPI security requirement of a tenant route needing `scope`.
 * @example security: scopeSecurity("scan")
 */
export function scopeSecurity(scope: Scope): { bearerAuth: string[] }[] {
  return [{ bearerAuth: [scope] }];
}

/** The scopes whose keys may call a route needing `scope` (`read` → admin, scan, read). */
export function scopesGranting(scope: Scope): Scope[] {
  return SCOPES.filter((s) => SCOPE_GRANTS[s].includes(scope));
}

/**
 * The documented 403 of a tenant route needing `scope`: which keys may call it, and the suspended case.
 * @example responses: { 200: …, ...scopeProblemResponse("admin"), ...problemResponses(401, 429, 500) }
 */
export function scopeProblemResponse(scope: Scope) {
  const base = problemResponses(403)[403];
  const keys = scopesGranting(scope)
    .map((s) => `\`${s}\``)
    .join(", ");
  return {
    403: {
      ...base,
      description: `Needs the \`${scope}\` scope (keys with ${keys}): \`insufficient-scope\` otherwise. \`tenant-suspended\` when the platform operator suspended the tenant.`,
      content: {
        "application/problem+json": {
          ...base.content["application/problem+json"],
          example: {
            ...base.content["application/problem+json"].example,
            detail: `This API key lacks the "${scope}" scope this route needs.`,
          },
        },
      },
    },
  };
}
