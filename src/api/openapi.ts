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

Every \`/v1\` operation needs \`Authorization: Bearer <API key>\`; keys have the form \`kg_\` followed by at least 32 characters of \`[A-Za-z0-9]\`. Every error is an RFC 9457 \`application/problem+json\` document with a stable \`type\` URI.`;

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
