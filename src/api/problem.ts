/**
 * The API's one error type and its wire form, RFC 9457 `application/problem+json`. Every error a
 * client can see has a stable code; the code gives the status, the title and the `type` URI
 * (`https://kubeguard.dev/problems/<code>`), so clients branch on `type`, never on `detail`.
 */
import { z } from "@hono/zod-openapi";

/** Every problem code with its HTTP status and title. Codes are stable: add, never rename. */
export const PROBLEMS = {
  "invalid-request": { status: 400, title: "Invalid request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  /** The key is valid but lacks the scope the route needs. */
  "insufficient-scope": { status: 403, title: "Insufficient scope" },
  /** The key's tenant is suspended by the platform operator. */
  "tenant-suspended": { status: 403, title: "Tenant suspended" },
  "not-found": { status: 404, title: "Not found" },
  "idempotency-key-reused": { status: 409, title: "Idempotency key reused" },
  "payload-too-large": { status: 413, title: "Payload too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "no-usable-document": { status: 422, title: "No usable document" },
  /** Reserved for rate limits. */
  "rate-limited": { status: 429, title: "Too many requests" },
  "internal-error": { status: 500, title: "Internal server error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;
export type ProblemStatus = (typeof PROBLEMS)[ProblemCode]["status"];

/** Base of every problem `type` URI. */
export const PROBLEM_TYPE_BASE = "https://kubeguard.dev/problems/";

export const PROBLEM_MEDIA_TYPE = "application/problem+json";

/** One entry of `errors[]`: where in the input (file, document, line, column, field path) and what. */
export interface ProblemError {
  file?: string;
  document?: number;
  line?: number;
  column?: number;
  path?: string;
  message: string;
}

/** The JSON body of a problem response. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: ProblemError[];
}

/** The single error type of the API: throw it from a handler or middleware; the error handler renders it. */
export class ApiProblem extends Error {
  readonly status: ProblemStatus;
  readonly errors?: ProblemError[];
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    options: { errors?: ProblemError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "ApiProblem";
    this.status = PROBLEMS[code].status;
    if (options.errors) this.errors = options.errors;
    if (options.headers) this.headers = options.headers;
  }
}

/** The problem document for a code. */
export function problemDocument(
  code: ProblemCode,
  detail: string,
  extra: { instance?: string; requestId?: string; errors?: ProblemError[] } = {},
): ProblemDocument {
  const { status, title } = PROBLEMS[code];
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title,
    status,
    detail,
    ...(extra.instance !== undefined ? { instance: extra.instance } : {}),
    ...(extra.requestId !== undefined ? { requestId: extra.requestId } : {}),
    ...(extra.errors && extra.errors.length > 0 ? { errors: extra.errors } : {}),
  };
}

/** Renders a problem as a Response. */
export function problemResponse(
  problem: ApiProblem,
  extra: { instance?: string; requestId?: string } = {},
): Response {
  const body = problemDocument(problem.code, problem.detail, {
    ...extra,
    ...(problem.errors ? { errors: problem.errors } : {}),
  });
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": PROBLEM_MEDIA_TYPE, ...(problem.headers ?? {}) },
  });
}

/** Turns zod issues of one request part into a 400 naming each field (`query.pssLevel: …`). */
export function validationProblem(error: z.ZodError, target: string): ApiProblem {
  // JSON bodies are named `body` (`body.events`), like the body checks the handlers make.
  const where = target === "param" ? "path" : target === "json" ? "body" : target;
  const errors: ProblemError[] = error.issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    return { path: field ? `${where}.${field}` : where, message: issue.message };
  });
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  return new ApiProblem(
    "invalid-request",
    `Invalid ${where === "query" ? "query parameter" : where}: ${detail}`,
    { errors },
  );
}

const ProblemErrorSchema = z
  .object({
    file: z.string().optional().openapi({ example: "deploy.yaml" }),
    document: z
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: "0-based document index in the file." }),
    line: z.number().int().min(1).optional().openapi({ example: 3 }),
    column: z.number().int().min(1).optional().openapi({ example: 7 }),
    path: z.string().optional().openapi({
      description: "Field path inside the document, or the request part and parameter (`query.pssLevel`).",
      example: "query.pssLevel",
    }),
    message: z.string(),
  })
  .openapi("ProblemError");

/** The OpenAPI schema of a problem document. */
export const ProblemSchema = z
  .object({
    type: z.url().openapi({
      description: "Stable URI naming the problem; branch on this.",
      example: `${PROBLEM_TYPE_BASE}not-found`,
    }),
    title: z.string().openapi({ example: "Not found" }),
    status: z.number().int().openapi({ example: 404 }),
    detail: z.string().openapi({ example: "No scan scn_5ZQ9cM0cTq3y8bVhUo2K in this tenant." }),
    instance: z
      .string()
      .optional()
      .openapi({ description: "The request path.", example: "/v1/scans/scn_5ZQ9cM0cTq3y8bVhUo2K" }),
    requestId: z.string().optional().openapi({ description: "Also sent as `X-Request-Id`." }),
    errors: z
      .array(ProblemErrorSchema)
      .optional()
      .openapi({ description: "Input problems with their position." }),
  })
  .openapi("Problem", { description: "An RFC 9457 problem document." });

const DESCRIPTIONS: Record<
  ProblemStatus,
  { description: string; code: ProblemCode; detail: string; errors?: ProblemError[] }
> = {
  400: {
    description: "A parameter, header or body is invalid; `errors[]` names each field.",
    code: "invalid-request",
    detail:
      'Invalid query parameter: query.pssLevel: Invalid option: expected one of "privileged"|"baseline"|"restricted"',
    errors: [
      {
        path: "query.pssLevel",
        message: 'Invalid option: expected one of "privileged"|"baseline"|"restricted"',
      },
    ],
  },
  401: {
    description: "No API key, or an unknown, revoked or expired one.",
    code: "unauthorized",
    detail: "Send Authorization: Bearer <API key>.",
  },
  403: {
    description: "The API key lacks the scope this route needs, or its tenant is suspended.",
    code: "insufficient-scope",
    detail: 'This API key lacks the "admin" scope this route needs.',
  },
  404: {
    description: "No such object in the caller's tenant.",
    code: "not-found",
    detail: "No scan scn_5ZQ9cM0cTq3y8bVhUo2K in this tenant.",
  },
  409: {
    description: "The Idempotency-Key was used before with a different request.",
    code: "idempotency-key-reused",
    detail: "Idempotency-Key ci-run-1842 was used with a different request.",
  },
  413: {
    description: "The body is larger than the configured limit.",
    code: "payload-too-large",
    detail: "The body exceeds 10485760 bytes.",
  },
  415: {
    description: "The Content-Type (or Content-Encoding) is not one the endpoint takes.",
    code: "unsupported-media-type",
    detail: "Send application/yaml, application/x-yaml, text/yaml, application/json or multipart/form-data.",
  },
  422: {
    description:
      "The body holds no usable Kubernetes document; `errors[]` gives each problem with its line and column.",
    code: "no-usable-document",
    detail: "No usable Kubernetes document in the body.",
    errors: [
      {
        file: "manifest.yaml",
        document: 0,
        line: 3,
        column: 7,
        message: "bad indentation of a mapping entry",
      },
    ],
  },
  429: {
    description:
      "The API key's requests per minute or scans per UTC day are used up (limits per tenant). `Retry-After` says when to retry; the `RateLimit-*` headers, also sent on successful answers, describe the limits.",
    code: "rate-limited",
    detail: "Too many requests for this API key: at most 600 per minute; retry in 12 s.",
  },
  500: {
    description: "An unexpected error; the detail carries no internals.",
    code: "internal-error",
    detail: "An unexpected error occurred.",
  },
  503: {
    description: "The database does not answer.",
    code: "unavailable",
    detail: "The database does not answer.",
  },
};

type HeaderConfig = { description: string; schema: { type: "integer" | "string" } };

type ProblemResponseConfig = {
  description: string;
  headers?: Record<string, HeaderConfig>;
  content: { "application/problem+json": { schema: typeof ProblemSchema; example: ProblemDocument } };
};

/** Headers of a 429 (src/ratelimit/window.ts `rateLimitHeaders`). */
const RATE_LIMIT_HEADERS: Record<string, HeaderConfig> = {
  "Retry-After": { description: "Seconds until the exhausted window resets.", schema: { type: "integer" } },
  "RateLimit-Limit": {
    description: "Requests allowed in the window closest to exhaustion.",
    schema: { type: "integer" },
  },
  "RateLimit-Remaining": { description: "Requests left in that window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until that window resets.", schema: { type: "integer" } },
  "RateLimit-Policy": {
    description:
      "Every limit the request counted against, as `<limit>;w=<window seconds>` (`600;w=60, 10000;w=86400`).",
    schema: { type: "string" },
  },
};

/**
 * Problem responses for a route's OpenAPI definition.
 * @example responses: { 200: …, ...problemResponses(400, 401, 404) }
 */
export function problemResponses<const S extends readonly ProblemStatus[]>(
  ...statuses: S
): { [K in S[number]]: ProblemResponseConfig } {
  const out: Record<number, ProblemResponseConfig> = {};
  for (const status of statuses) {
    const d = DESCRIPTIONS[status];
    out[status] = {
      description: d.description,
      ...(status === 429 ? { headers: RATE_LIMIT_HEADERS } : {}),
      content: {
        [PROBLEM_MEDIA_TYPE]: {
          schema: ProblemSchema,
          example: problemDocument(d.code, d.detail, d.errors ? { errors: d.errors } : {}),
        },
      },
    };
  }
  return out as { [K in S[number]]: ProblemResponseConfig };
}
