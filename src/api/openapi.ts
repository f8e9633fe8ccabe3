/**
 * The OpenAPI 3.1 document, generated from the zod route definitions. `npm run openapi` writes it to
 * openapi.yaml and a test fails when the committed file differs from what this module generates.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { stringify } from "yaml";
import { VERSION } from "../version.ts";
import { registerRoutes } from "./routes/index.ts";
import type { App, AppEnv } from "./types.ts";

type OpenApiDocument = ReturnType<App["getOpenAPI31Document"]>;

const DESCRIPTION = `kubeguard scans Kubernetes manifests and cluster snapshots for compliance: the Pod Security Standards exactly as Kubernetes enforces them, RBAC, secrets, etcd and Cilium encryption, and network isolation. CI pipelines POST their rendered manifests and get a verdict, a stored scan and a report their platform understands (SARIF, JUnit, Markdown, HTML).

Every \`/v1\` operation needs \`Authorization: Bearer <API key>\`; keys have the form \`kg_\` followed by at least 32 characters of \`[A-Za-z0-9]\`. Every error is an RFC 9457 \`application/problem+json\` document with a stable \`type\` URI.

Keys carry scopes, and each operation names the one it needs in its \`security\` and its 403 answer: \`read\` (scans, findings, reports, diffs, policies, frameworks), \`scan\` (also create and delete scans, evaluate), \`admin\` (also keys, settings, audit, hooks, webhooks), \`admission\` (the admission endpoint only). \`admin\` ⊇ \`scan\` ⊇ \`read\`; \`admission\` stands alone. A suspended tenant's keys get 403 \`tenant-suspended\`.

Each API key is limited per minute on every operation and per UTC day on the operations that scan (\`POST /v1/scans\`, \`POST /v1/evaluate\`, inbound hooks); the limits are set per tenant. Answers carry \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\` and \`RateLimit-Policy\`; above a limit the answer is a 429 with \`Retry-After\`.

The platform operator manages tenants under \`/v1/admin\` with \`Authorization: Bearer <platform token>\` (\`KUBEGUARD_PLATFORM_TOKEN\`); without that token configured the admin API answers 404.`;

/** Top-level fields of the document (everything that does not come from a route). */
export function documentConfig(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "kubeguard API",
      version: VERSION,
      description: DESCRIPTION,
      // doc31() rejects license.identifier (STACK.md): name + url.
      license: { name: "Apache-2.0", url: "https://www.apache.org/licenses/LICENSE-2.0" },
    },
    servers: [{ url: serverUrl, description: "kubeguard server" }],
    tags: [
      { name: "scans", description: "Stored scans, their findings, reports and diffs." },
      { name: "evaluate", description: "Scan without storing." },
      { name: "policies", description: "The check registry." },
      { name: "frameworks", description: "Compliance frameworks and their controls." },
      { name: "keys", description: "The tenant's API keys: created (shown once), listed, revoked." },
      { name: "settings", description: "The tenant's policy settings, in the `.kubeguard.yaml` schema." },
      { name: "audit", description: "The tenant's append-only log of administrative actions." },
      { name: "admin", description: "The platform operator's tenant management (platform token)." },
      {
        name: "hooks",
        description: "Inbound hooks: other platforms post manifests, signed instead of keyed.",
      },
      { name: "webhooks", description: "Outbound webhooks: signed scan events, retried and logged." },
      { name: "admission", description: "The Kubernetes validating admission webhook and its decision log." },
      { name: "meta", description: "Health, this document and the reference page." },
    ],
  };
}

/** The committed document's server: relative, so it holds wherever the document is served from. */
export const DEFAULT_SERVER_URL = "/";

/** The document an app describes. */
export function openApiDocument(app: App, serverUrl: string = DEFAULT_SERVER_URL): OpenApiDocument {
  return app.getOpenAPI31Document(documentConfig(serverUrl));
}

/** The document of the full route list, without building a store (for the generator and its test). */
export function buildOpenApiDocument(serverUrl: string = DEFAULT_SERVER_URL): OpenApiDocument {
  return openApiDocument(registerRoutes(new OpenAPIHono<AppEnv>()), serverUrl);
}

/** The document as YAML, as committed in openapi.yaml. */
export function openApiYaml(document: OpenApiDocument): string {
  return `# Generated from the zod route definitions by \`npm run openapi\`; do not edit by hand.\n${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
