/**
 * POST /v1/hooks/{id} — a signed inbound hook: another platform posts manifests, with the same bodies
 * and query options as `POST /v1/scans`, and the scan is stored in the hook's tenant. There is no API
 * key: the request is authenticated by an HMAC-SHA256 signature over the raw body bytes with the hook's
 * secret, either
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp` (refused when more than 5 minutes off) and
 *   `webhook-signature: v1,<base64 HMAC of "id.timestamp.body">`; a replayed `webhook-id` answers the
 *   scan it created the first time and creates nothing; or
 * - GitHub style: `X-Hub-Signature-256: sha256=<hex HMAC of the body>` (keyed with the secret string
 *   itself); GitHub's scheme signs no id or time, so only a repeated `X-GitHub-Delivery` is recognised
 *   as a replay.
 * Order of checks: unknown hook 404 (hook ids are random, so this reveals nothing worth guessing), body
 * size 413, signature 401, suspended tenant 403, rate limits 429 (counted against the hook id, after
 * the signature so unsigned requests cost the tenant nothing), then the query (400) and content type
 * (415) as for scans. A refused request stores nothing.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { ScanSource } from "../../../store/index.ts";
import { verifyGithub } from "../../../webhooks/github.ts";
import { openSecret } from "../../../webhooks/secret-box.ts";
import { verifyStandard } from "../../../webhooks/standard.ts";
import { admitTenant } from "../../middleware/auth.ts";
import { checkManifestType, parseContentType, readBodyLimited } from "../../middleware/body-limit.ts";
import { presentScan, scanPath } from "../../present.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import { createStoredScan, scanOptionsOf, scanSourceOf } from "../../scan-create.ts";
import { MANIFEST_REQUEST_BODY, ScanSchema, scanOptionsQuery, scanSourceQuery } from "../../schemas.ts";
import type { App, AppEnv } from "../../types.ts";
import { HookIdParams, hookSecretContext } from "./schemas.ts";

/** Label keys a hook adds to the scan's source. */
export const HOOK_LABEL = "kubeguard.dev/hook";
export const EVENT_LABEL = "kubeguard.dev/event";

const MAX_LABELS = 32;
const VISIBLE_ID = /^[\x21-\x7e]{1,256}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const UNSAFE_LABEL_CHARACTERS = /[\u0000-\u001f\u007f,]/g;

const optionalHeader = (description: string, example: string) =>
  z.string().optional().openapi({ param: { description }, example });

const SIGNATURE_HELP =
  "Sign the request with the hook's secret: Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) or GitHub style (`X-Hub-Signature-256`).";

/** The per-request state the signature check hands to the handler. */
interface VerifiedHook {
  hookId: string;
  tenantId: string;
  /** The sender's message id (`webhook-id`, or `X-GitHub-Delivery`), when it gave one. */
  messageId?: string;
}

const verified = new WeakMap<Request, VerifiedHook>();

function unauthorized(reason: string): ApiProblem {
  return new ApiProblem("unauthorized", `The request signature is not valid: ${reason}. ${SIGNATURE_HELP}`);
}

/**
 * Finds the hook, reads the raw body under the size limit and verifies its signature; on success sets
 * `c.var.body` (the media type is checked later, like any scan request) and `c.var.auth` (the hook's
 * tenant, with the hook id standing for the key).
 */
function hookSignature(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.param("id") ?? "";
    const { store, clock, config, log } = c.var.deps;
    const hook = id.length <= 64 ? await store.hooks.find(id) : undefined;
    if (!hook) throw new ApiProblem("not-found", `No inbound hook ${id}.`);
    const bytes = await readBodyLimited(c);

    let secret: string;
    try {
      secret = await openSecret(hook.storedSecret, hookSecretContext(hook.id), config.secretKey);
    } catch (err) {
      log?.("inbound hook secret unusable", {
        hookId: hook.id,
        error: err instanceof Error ? err.message : String(err),
      });
      throw new ApiProblem("internal-error", "The hook's secret cannot be used; see the server's logs.");
    }
    const headers = c.req.raw.headers;
    let messageId: string | undefined;
    if (headers.has("webhook-signature") || headers.has("webhook-id") || headers.has("webhook-timestamp")) {
      const result = await verifyStandard(secret, headers, bytes, clock.now());
      if (!result.ok) throw unauthorized(result.reason);
      messageId = result.id;
    } else if (headers.has("x-hub-signature-256")) {
      const result = await verifyGithub(secret, headers.get("x-hub-signature-256"), bytes);
      if (!result.ok) throw unauthorized(result.reason);
      const delivery = headers.get("x-github-delivery")?.trim();
      if (delivery && VISIBLE_ID.test(delivery)) messageId = `gh:${delivery}`;
    } else {
      throw new ApiProblem("unauthorized", `The request is not signed. ${SIGNATURE_HELP}`);
    }

    // Suspended tenant 403; the hook's requests per minute and the tenant's scans per day 429.
    await admitTenant(c, hook.tenantId, hook.id, { scan: true });

    const header = c.req.header("content-type") ?? "";
    c.set("body", { mediaType: parseContentType(header).mediaType, contentType: header, bytes });
    c.set("auth", { keyId: hook.id, tenantId: hook.tenantId, scopes: ["scan"] });
    verified.set(c.req.raw, {
      hookId: hook.id,
      tenantId: hook.tenantId,
      ...(messageId ? { messageId } : {}),
    });
    c.var.background(store.hooks.touch(hook.tenantId, hook.id, clock.now()));
    await next();
  };
}

/** The scan's source: the query's, plus the hook id and the sender's event type as labels. */
function hookSource(base: ScanSource, hookId: string, event: string | undefined): ScanSource {
  const labels: Record<string, string> = { ...(base.labels ?? {}) };
  const add = (key: string, value: string) => {
    if (!Object.hasOwn(labels, key) && Object.keys(labels).length < MAX_LABELS) labels[key] = value;
  };
  add(HOOK_LABEL, hookId);
  const cleanEvent = event?.replace(UNSAFE_LABEL_CHARACTERS, "").trim().slice(0, 256);
  if (cleanEvent) add(EVENT_LABEL, cleanEvent);
  return { ...base, labels };
}

/** The OpenAPI definition of POST /v1/hooks/{id}. */
export const route = createRoute({
  method: "post",
  path: "/v1/hooks/{id}",
  operationId: "receiveHook",
  tags: ["hooks"],
  summary: "Post manifests to an inbound hook (signed, no API key)",
  description: `Takes the same bodies and query options as \`POST /v1/scans\` and stores the scan in the hook's tenant. No API key: the request is authenticated by an HMAC-SHA256 signature over the raw body bytes, keyed with the hook's secret, in one of two forms:

- **Standard Webhooks**: \`webhook-id\` (a unique message id), \`webhook-timestamp\` (seconds since the epoch; more than 5 minutes off is refused) and \`webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">\`, keyed with the base64-decoded part of \`whsec_…\`. A replayed \`webhook-id\` creates nothing and answers the scan it created the first time (with \`Idempotent-Replayed: true\`); the same id with a different body is a 409.
- **GitHub style**: \`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>\`, keyed with the whole secret string (\`whsec_…\` included) as text, which is what GitHub does with the secret pasted into its form. This scheme signs no id or time: a repeated \`X-GitHub-Delivery\` is answered like a replay, but prefer Standard Webhooks where the sender supports it.

A missing or bad signature is a 401 and stores nothing. The scan's \`source\` is the query's, with the labels \`kubeguard.dev/hook\` (the hook id) and, when the sender names one in \`X-GitHub-Event\` or \`X-Gitlab-Event\`, \`kubeguard.dev/event\`. An unknown hook is a 404.`,
  security: [],
  middleware: [hookSignature()] as const,
  request: {
    params: HookIdParams,
    query: z.object({ ...scanOptionsQuery, ...scanSourceQuery }),
    headers: z.object({
      "webhook-id": optionalHeader("Standard Webhooks message id.", "msg_2Kd8sQ0c7Lx1Vb4n"),
      "webhook-timestamp": optionalHeader(
        "Standard Webhooks timestamp, seconds since the epoch.",
        "1776680100",
      ),
      "webhook-signature": optionalHeader(
        "Standard Webhooks signature(s), space-separated `v1,<base64>`.",
        "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
      ),
      "X-Hub-Signature-256": optionalHeader(
        "GitHub-style signature: `sha256=` and the hex HMAC-SHA256 of the body.",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      ),
      "X-GitHub-Delivery": optionalHeader(
        "GitHub's delivery id: a repeated one is answered like a replay.",
        "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      ),
      "X-GitHub-Event": optionalHeader("Recorded as the label `kubeguard.dev/event`.", "push"),
      "X-Gitlab-Event": optionalHeader("Recorded as the label `kubeguard.dev/event`.", "Push Hook"),
    }),
    body: MANIFEST_REQUEST_BODY,
  },
  responses: {
    201: {
      description: "The scan was stored (or, for a replayed message id, had been).",
      headers: z.object({
        Location: z
          .string()
          .openapi({ description: "The scan's URL.", example: "/v1/scans/scn_5ZQ9cM0cTq3y8bVhUo2K" }),
        "Idempotent-Replayed": z.enum(["true"]).optional().openapi({
          description:
            "Present when this answers a replayed message with the scan it created the first time.",
        }),
      }),
      content: { "application/json": { schema: ScanSchema } },
    },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 429, 500),
  },
});

/** Registers POST /v1/hooks/{id} on the app. */
export function registerReceiveHook(app: App) {
  app.openapi(route, async (c) => {
    const hook = verified.get(c.req.raw);
    if (!hook) throw new ApiProblem("unauthorized", `The request is not signed. ${SIGNATURE_HELP}`);
    checkManifestType(c);
    const q = c.req.valid("query");
    const event = c.req.header("x-github-event") ?? c.req.header("x-gitlab-event");
    const result = await createStoredScan(
      { deps: c.var.deps, scanGate: c.var.scanGate, background: c.var.background },
      {
        tenantId: hook.tenantId,
        body: c.var.body,
        options: scanOptionsOf(q),
        source: hookSource(scanSourceOf(q), hook.hookId, event),
        // Spaces cannot occur in an Idempotency-Key, so this key never meets one of POST /v1/scans.
        ...(hook.messageId ? { idempotencyKey: `hook ${hook.hookId} ${hook.messageId}` } : {}),
      },
    );
    if (result.status === "conflict") {
      throw new ApiProblem(
        "idempotency-key-reused",
        `Message ${hook.messageId} was already received with a different request.`,
      );
    }
    c.header("Location", scanPath(result.scan.id));
    if (result.status === "replayed") c.header("Idempotent-Replayed", "true");
    return c.json(presentScan(result.scan), 201);
  });
}
