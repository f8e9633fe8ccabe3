/**
 * Request IDs: a caller's `X-Request-Id` is kept when it is sane, otherwise a new one is made; it is
 * echoed on the response and put in problem documents so a report can be matched with the logs.
 */
import type { MiddlewareHandler } from "hono";
import { randomBase62 } from "../../store/crypto.ts";
import type { AppEnv } from "../types.ts";

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Sets `c.var.requestId` and the `X-Request-Id` response header. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header("x-request-id");
    const id = given && SANE.test(given) ? given : `req_${randomBase62(16)}`;
    c.set("requestId", id);
    await next();
    // Set on the final response, so problem responses from the error handler carry it too.
    c.res.headers.set("X-Request-Id", id);
  };
}
