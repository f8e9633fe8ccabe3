/**
 * GET /openapi.json and GET /openapi.yaml — this API's OpenAPI 3.1 document, with the server set to
 * the origin it was fetched from. No key needed.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { openApiDocument, openApiYaml } from "../../openapi.ts";
import type { App } from "../../types.ts";

const jsonRoute = createRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiJson",
  tags: ["meta"],
  summary: "This document, as JSON",
  description: "The OpenAPI 3.1 description of this API. No API key needed.",
  security: [],
  responses: {
    200: {
      description: "The OpenAPI document.",
      content: {
        "application/json": {
          schema: z.looseObject({}).openapi({ description: "An OpenAPI 3.1 document." }),
        },
      },
    },
  },
});

const yamlRoute = createRoute({
  method: "get",
  path: "/openapi.yaml",
  operationId: "getOpenApiYaml",
  tags: ["meta"],
  summary: "This document, as YAML",
  description: "The same document as `/openapi.json`, as YAML. No API key needed.",
  security: [],
  responses: {
    200: {
      description: "The OpenAPI document.",
      content: { "application/yaml": { schema: { type: "string" } } },
    },
  },
});

/** Registers GET /openapi.json and GET /openapi.yaml on the app. */
export function registerOpenApi(app: App) {
  let cached: ReturnType<typeof openApiDocument> | undefined;
  // Built on first use: by then every route is registered.
  const documentFor = (url: string) => {
    cached ??= openApiDocument(app);
    return { ...cached, servers: [{ url: new URL(url).origin, description: "this server" }] };
  };
  app.openapi(jsonRoute, (c) => c.json(documentFor(c.req.url), 200));
  app.openapi(yamlRoute, (c) =>
    c.body(openApiYaml(documentFor(c.req.url)), 200, { "Content-Type": "application/yaml; charset=utf-8" }),
  );
}
