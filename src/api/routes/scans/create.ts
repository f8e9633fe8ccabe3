/**
 * POST /v1/scans — scan manifests and store the result for the caller's tenant. An `Idempotency-Key`
 * makes CI retries safe: the same key with the same request returns the same scan; with a different
 * request it is a 409.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { newId, sha256Hex } from "../../../store/crypto.ts";
import type { ScanSource } from "../../../store/index.ts";
import { bodyInputs, scanBody } from "../../manifests.ts";
import { manifestBody } from "../../middleware/body-limit.ts";
import { presentScan, scanPath } from "../../present.ts";
import { ApiProblem, problemResponses } from "../../problem.ts";
import {
  BEARER_AUTH,
  MANIFEST_REQUEST_BODY,
  ScanSchema,
  scanOptionsQuery,
  scanSourceQuery,
} from "../../schemas.ts";
import type { App, RequestBody } from "../../types.ts";

const query = z.object({ ...scanOptionsQuery, ...scanSourceQuery });

/** The OpenAPI definition of POST /v1/scans. */
export const route = createRoute({
  method: "post",
  path: "/v1/scans",
  operationId: "createScan",
  tags: ["scans"],
  summary: "Scan manifests and store the scan",
  description:
    "Scans the body and stores the result for the caller's tenant: the summary, per-framework scores and verdict, and the findings and resources the reports are rendered from. The raw upload is not stored. Problems inside individual documents are reported in the scan (`summary.errors`); a body with nothing usable is a 422.",
  security: BEARER_AUTH,
  middleware: [manifestBody()] as const,
  request: {
    query,
    headers: z.object({
      "Idempotency-Key": z
        .string()
        .min(1)
        .max(255)
        .regex(/^[\x21-\x7e]+$/, { message: "must be 1-255 visible ASCII characters" })
        .optional()
        .openapi({
          param: {
            description:
              "Makes retries safe: a retry with the same key and the same request (body, Content-Type and scan options) returns the first scan; the same key with a different request is a 409.",
          },
          example: "ci-run-1842",
        }),
    }),
    body: MANIFEST_REQUEST_BODY,
  },
  responses: {
    201: {
      description: "The scan was stored (or, for a retried Idempotency-Key, had been).",
      headers: z.object({
        Location: z
          .string()
          .openapi({ description: "The scan's URL.", example: "/v1/scans/scn_5ZQ9cM0cTq3y8bVhUo2K" }),
        "Idempotent-Replayed": z.enum(["true"]).optional().openapi({
          description: "Present when this answer replays an earlier request with the same Idempotency-Key.",
        }),
      }),
      content: { "application/json": { schema: ScanSchema } },
    },
    ...problemResponses(400, 401, 409, 413, 415, 422, 429, 500),
  },
});

/** Hash of what makes two requests "the same" for an idempotency key. */
async function requestHash(body: RequestBody, options: Record<string, unknown>): Promise<string> {
  const head = new TextEncoder().encode(`${body.mediaType}\n${JSON.stringify(options)}\n`);
  const all = new Uint8Array(head.byteLength + body.bytes.byteLength);
  all.set(head, 0);
  all.set(body.bytes, head.byteLength);
  return sha256Hex(all);
}

/** Registers POST /v1/scans on the app. */
export function registerCreateScan(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const idempotencyKey = c.req.valid("header")["Idempotency-Key"];
    const { store, clock } = c.var.deps;
    const { tenantId } = c.var.auth;
    const body = c.var.body;
    const createdAt = clock.now();
    const options = {
      ...(q.pssLevel ? { pssLevel: q.pssLevel } : {}),
      ...(q.pssVersion ? { pssVersion: q.pssVersion } : {}),
      ...(q.failOn ? { failOn: q.failOn } : {}),
    };
    const source: ScanSource = {
      ...(q.repository ? { repository: q.repository } : {}),
      ...(q.commit ? { commit: q.commit } : {}),
      ...(q.branch ? { branch: q.branch } : {}),
      ...(q.pipelineUrl ? { pipelineUrl: q.pipelineUrl } : {}),
      ...(q.labels ? { labels: q.labels } : {}),
    };
    const answer = (scan: Parameters<typeof presentScan>[0], replayed: boolean) => {
      c.header("Location", scanPath(scan.id));
      if (replayed) c.header("Idempotent-Replayed", "true");
      return c.json(presentScan(scan), 201);
    };
    const reused = () =>
      new ApiProblem(
        "idempotency-key-reused",
        `Idempotency-Key ${idempotencyKey} was used with a different request.`,
      );

    let idempotency: { key: string; requestHash: string } | undefined;
    if (idempotencyKey) {
      idempotency = { key: idempotencyKey, requestHash: await requestHash(body, { ...options, source }) };
      const earlier = await store.scans.findIdempotent(tenantId, idempotencyKey);
      if (earlier) {
        if (earlier.requestHash !== idempotency.requestHash) throw reused();
        const scan = await store.scans.get(tenantId, earlier.scanId);
        if (scan) return answer(scan, true);
      }
    }

    const inputs = await bodyInputs(body);
    const report = await scanBody(c.var.deps, c.var.scanGate, inputs, options, createdAt);
    const result = await store.scans.create(tenantId, {
      id: newId("scn"),
      createdAt,
      completedAt: clock.now(),
      source,
      report,
      ...(idempotency ? { idempotency } : {}),
    });
    if (result.status === "conflict") throw reused();
    return answer(result.scan, result.status === "replayed");
  });
}
