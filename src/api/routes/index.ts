/**
 * Every route, registered in one explicit list: adding a route means adding a line here, and the
 * OpenAPI document follows.
 */
import type { App } from "../types.ts";
import { registerDocs } from "./docs/get.ts";
import { registerEvaluate } from "./evaluate/create.ts";
import { registerListFrameworks } from "./frameworks/list.ts";
import { registerHealth } from "./health/get.ts";
import { registerOpenApi } from "./openapi/get.ts";
import { registerGetPolicy } from "./policies/get.ts";
import { registerListPolicies } from "./policies/list.ts";
import { registerCreateScan } from "./scans/create.ts";
import { registerDeleteScan } from "./scans/delete.ts";
import { registerDiffScans } from "./scans/diff/get.ts";
import { registerListScanFindings } from "./scans/findings/list.ts";
import { registerGetScan } from "./scans/get.ts";
import { registerListScans } from "./scans/list.ts";
import { registerGetScanReport } from "./scans/report/get.ts";

/** In the order they appear in openapi.yaml. */
export const ROUTES: readonly ((app: App) => void)[] = [
  registerCreateScan,
  registerListScans,
  registerGetScan,
  registerDeleteScan,
  registerListScanFindings,
  registerGetScanReport,
  registerDiffScans,
  registerEvaluate,
  registerListPolicies,
  registerGetPolicy,
  registerListFrameworks,
  registerHealth,
  registerOpenApi,
  registerDocs,
];

/** Registers the bearer scheme and every route on an app; returns the app. */
export function registerRoutes(app: App): App {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "kg_<32+ characters of [A-Za-z0-9]>",
    description:
      "An API key: `Authorization: Bearer kg_…`. The first start prints the tenant `default`'s admin key once.",
  });
  for (const register of ROUTES) register(app);
  return app;
}
