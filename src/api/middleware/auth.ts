/**
 * Authentication → tenant: `Authorization: Bearer <API key>` is verified against the store and the
 * key's tenant becomes the request's tenant. Everything under /v1 goes through here except the
 * platform operator's `/v1/admin/*` (platform.ts) and the routes of credentials.ts. A suspended
 * tenant's keys are refused with 403 `tenant-suspended`; every accepted key is counted against its
 * requests-per-minute limit (rate-limit.ts).
 */
import type { Context, MiddlewareHandler } from "hono";
import { pathCredential } from "../credentials.ts";
import { verifyKeyCached } from "../key-cache.ts";
import { ApiProblem } from "../problem.ts";
import type { AppEnv } from "../types.ts";
import { isPlatformPath } from "./platform.ts";
import { countRequest, countScan, type EffectiveLimits, effectiveLimits } from "./rate-limit.ts";

const CHALLENGE = 'Bearer realm="kubeguard"';

/** The 403 for a suspended tenant. */
export function tenantSuspended(): ApiProblem {
  return new ApiProblem(
    "tenant-suspended",
    "This tenant is suspended by the platform operator; contact them to restore access.",
  );
}

/**
 * Rejects with 401 unless a valid key is presented, 403 when its tenant is suspended, 429 above the
 * tenant's requests per minute; sets `c.var.auth` (key id, tenant id, scopes) and `c.var.tenantLimits`.
 */
export function auth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isPlatformPath(c.req.path)) return next();
    // A signed hook is authenticated by its signature (its handler), the admission URL form by its path.
    const via = pathCredential(c.req.method, c.req.path);
    if (via?.kind === "signature") return next();
    const header = via?.kind === "token" ? `Bearer ${via.token}` : c.req.header("authorization");
    if (!header) {
      throw new ApiProblem("unauthorized", "Send Authorization: Bearer <API key>.", {
        headers: { "WWW-Authenticate": CHALLENGE },
      });
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    const { store, clock, config } = c.var.deps;
    const now = clock.now();
    // The admission webhook's hot path trusts a verified key for a few seconds (key-cache.ts).
    const admission = c.req.method === "POST" && (via?.kind === "token" || c.req.path === "/v1/admission");
    const verify = admission
      ? verifyKeyCached
      : (st: typeof store, t: string, at: Date) => st.apiKeys.verify(t, at);
    const identity = match?.[1] ? await verify(store, match[1], now) : undefined;
    if (!identity) {
      throw new ApiProblem("unauthorized", "The API key is not valid.", {
        headers: { "WWW-Authenticate": `${CHALLENGE}, error="invalid_token"` },
      });
    }
    if (identity.suspended) throw tenantSuspended();
    c.set("auth", { keyId: identity.keyId, tenantId: identity.tenantId, scopes: identity.scopes });
    const limits = effectiveLimits(identity.limits, config.tenancy);
    c.set("tenantLimits", limits);
    await countRequest(c, identity.keyId, limits, now);
    await next();
  };
}

/**
 * What {@link auth} does after the key check, for routes that authenticate without an API key (signed
 * inbound hooks, once the signature is verified): refuses a suspended tenant (403), counts `subject`
 * (the hook id) against the tenant's requests per minute and, with `scan`, its scans per day (429).
 * @example await admitTenant(c, hook.tenantId, hook.id, { scan: true });
 */
export async function admitTenant(
  c: Context<AppEnv>,
  tenantId: string,
  subject: string,
  options: { scan?: boolean } = {},
): Promise<EffectiveLimits> {
  const { store, clock, config } = c.var.deps;
  const tenant = await store.tenants.get(tenantId);
  if (!tenant) throw new ApiProblem("unauthorized", "The credential is not valid.");
  if (tenant.suspended) throw tenantSuspended();
  const limits = effectiveLimits(tenant, config.tenancy);
  c.set("tenantLimits", limits);
  const now = clock.now();
  await countRequest(c, subject, limits, now);
  if (options.scan) await countScan(c, subject, limits, now);
  return limits;
}
