/**
 * The platform operator's API, `/v1/admin/*`: authorised by `Authorization: Bearer <platform token>`
 * where the token is `KUBEGUARD_PLATFORM_TOKEN`, compared in constant time. Without a configured token
 * the admin API is off and every `/v1/admin` path answers 404, exactly like a path that does not exist.
 * Tenant API keys are not platform tokens: they get 401 here, whatever their scopes.
 */
import type { MiddlewareHandler } from "hono";
import { bearerToken, platformTokenMatches } from "../../auth/keys.ts";
import { ApiProblem } from "../problem.ts";
import type { AppEnv } from "../types.ts";

const CHALLENGE = 'Bearer realm="kubeguard-platform"';

/** Whether a path belongs to the admin API. */
export function isPlatformPath(path: string): boolean {
  return path === "/v1/admin" || path.startsWith("/v1/admin/");
}

/** 404 when the admin API is off, 401 without the platform token; otherwise on to the route. */
export function platformAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const configured = c.var.deps.config.platformToken;
    if (!configured) throw new ApiProblem("not-found", `No route for ${c.req.method} ${c.req.path}.`);
    const header = c.req.header("authorization");
    if (!header) {
      throw new ApiProblem("unauthorized", "Send Authorization: Bearer <platform token>.", {
        headers: { "WWW-Authenticate": CHALLENGE },
      });
    }
    if (!platformTokenMatches(bearerToken(header), configured)) {
      throw new ApiProblem("unauthorized", "The platform token is not valid.", {
        headers: { "WWW-Authenticate": `${CHALLENGE}, error="invalid_token"` },
      });
    }
    await next();
  };
}
