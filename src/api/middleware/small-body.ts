/**
 * A size limit for the small JSON bodies of the management routes (keys, settings, tenants): 64 KiB,
 * far above any sensible request, far below the manifest limit, so a management route never buffers
 * megabytes. Above it: 413 `payload-too-large`.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiProblem } from "../problem.ts";
import type { AppEnv } from "../types.ts";

/** Largest management body accepted, in bytes. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** Rejects bodies above `maxSize` bytes with 413, on `Content-Length` or while streaming. */
export function smallBody(maxSize: number = SMALL_BODY_BYTES): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiProblem("payload-too-large", `The body exceeds ${maxSize} bytes.`);
    },
  });
}
