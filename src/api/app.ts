/**
 * The Hono app, built from its dependencies so every runtime (Node, Workers, tests) gets the same app:
 * request id → dependencies → auth on /v1 → routes, with one error handler for everything.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { redactPath } from "./credentials.ts";
import { auth } from "./middleware/auth.ts";
import { platformAuth } from "./middleware/platform.ts";
import { rateLimitResponseHeaders } from "./middleware/rate-limit.ts";
import { requestId } from "./middleware/request-id.ts";
import { ApiProblem, type ProblemCode, problemResponse, validationProblem } from "./problem.ts";
import { registerRoutes } from "./routes/index.ts";
import { ScanGate } from "./scan-gate.ts";
import type { App, AppDeps, AppEnv, Logger } from "./types.ts";

const HTTP_EXCEPTION_CODES: Record<number, ProblemCode> = {
  400: "invalid-request",
  401: "unauthorized",
  404: "not-found",
  413: "payload-too-large",
  415: "unsupported-media-type",
};

/**
 * Where work after the response goes: the runtime's `background` (the Node server's tracker), else the
 * Worker's `executionCtx.waitUntil` (Hono throws when there is none, so it is asked second), else an
 * unawaited promise whose failure is logged. The task must never reject into the request.
 */
function backgroundRunner(c: Context<AppEnv>, deps: AppDeps, log: Logger): (task: Promise<unknown>) => void {
  return (task) => {
    const guarded = task.catch((err: unknown) =>
      log("background task failed", {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
    );
    if (deps.background) return deps.background(guarded);
    let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
    try {
      ctx = c.executionCtx;
    } catch {
      ctx = undefined;
    }
    ctx?.waitUntil(guarded);
  };
}

/**
 * Builds the app.
 * @example
 * const app = createApp({ store, clock: systemClock, config: DEFAULT_APP_CONFIG });
 * const res = await app.request("/healthz");
 */
export function createApp(deps: AppDeps): App {
  const log: Logger = deps.log ?? ((message, fields) => console.error(message, fields ?? {}));
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error, result.target);
    },
  });

  const scanGate = new ScanGate();
  app.use(requestId());
  app.use(async (c, next) => {
    c.set("deps", deps);
    c.set("scanGate", scanGate);
    c.set("background", backgroundRunner(c, deps, log));
    await next();
  });
  app.use("/v1/*", rateLimitResponseHeaders());
  app.use("/v1/admin/*", platformAuth());
  app.use("/v1/*", auth());
  registerRoutes(app);

  // Paths are redacted: the admission webhook's URL form carries an API key (credentials.ts).
  app.notFound((c) =>
    problemResponse(new ApiProblem("not-found", `No route for ${c.req.method} ${redactPath(c.req.path)}.`), {
      instance: redactPath(c.req.path),
      requestId: c.var.requestId,
    }),
  );

  app.onError((err, c) => {
    const extra = { instance: redactPath(c.req.path), requestId: c.var.requestId };
    if (err instanceof ApiProblem) return problemResponse(err, extra);
    if (err instanceof HTTPException) {
      const code = HTTP_EXCEPTION_CODES[err.status];
      if (code) return problemResponse(new ApiProblem(code, err.message || "The request is invalid."), extra);
    }
    // The stack goes to the log with the request id; the client gets the id and no internals.
    log("unexpected error", {
      requestId: c.var.requestId,
      method: c.req.method,
      path: redactPath(c.req.path),
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    return problemResponse(new ApiProblem("internal-error", "An unexpected error occurred."), extra);
  });

  return app;
}
