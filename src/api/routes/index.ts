/**
 * Every route, registered in one explicit list: adding a route means adding a line here, and the
 * OpenAPI document follows.
 */
import type { App } from "../types.ts";
import { registerAdminCreateTenant } from "./admin/tenants/create.ts";
import { registerAdminDeleteTenant } from "./admin/tenants/delete.ts";
import { registerAdminGetTenant } from "./admin/tenants/get.ts";
import { registerAdminCreateTenantKey } from "./admin/tenants/keys/create.ts";
import { registerAdminListTenants } from "./admin/tenants/list.ts";
import { registerAdminUpdateTenant } from "./admin/tenants/update.ts";
import { registerGetAdmissionConfig } from "./admission/config/get.ts";
import { registerListAdmissionDecisions } from "./admission/decisions/list.ts";
import { registerReviewAdmission, registerReviewAdmissionWithToken } from "./admission/review.ts";
import { registerListAudit } from "./audit/list.ts";
import { registerDocs } from "./docs/get.ts";
import { registerEvaluate } from "./evaluate/create.ts";
import { registerListFrameworks } from "./frameworks/list.ts";
import { registerHealth } from "./health/get.ts";
import { registerCreateHook } from "./hooks/create.ts";
import { registerDeleteHook } from "./hooks/delete.ts";
import { registerListHooks } from "./hooks/list.ts";
import { registerReceiveHook } from "./hooks/receive.ts";
import { registerCreateKey } from "./keys/create.ts";
import { registerRevokeKey } from "./keys/delete.ts";
import { registerListKeys } from "./keys/list.ts";
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
import { registerGetSettings } from "./settings/get.ts";
import { registerPutSettings } from "./settings/put.ts";
import { registerCreateWebhook } from "./webhooks/create.ts";
import { registerDeleteWebhook } from "./webhooks/delete.ts";
import { registerListWebhookDeliveries } from "./webhooks/deliveries/list.ts";
import { registerGetWebhook } from "./webhooks/get.ts";
import { registerListWebhooks } from "./webhooks/list.ts";

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
  // Tenancy (issue 5): keys, settings, audit, and the platform operator's admin API.
  registerCreateKey,
  registerListKeys,
  registerRevokeKey,
  registerGetSettings,
  registerPutSettings,
  registerListAudit,
  registerAdminCreateTenant,
  registerAdminListTenants,
  registerAdminGetTenant,
  registerAdminUpdateTenant,
  registerAdminDeleteTenant,
  registerAdminCreateTenantKey,
  // Integrations (issue 5): inbound hooks, outbound webhooks, Kubernetes admission.
  registerCreateHook,
  registerListHooks,
  registerDeleteHook,
  registerReceiveHook,
  registerCreateWebhook,
  registerListWebhooks,
  registerGetWebhook,
  registerDeleteWebhook,
  registerListWebhookDeliveries,
  registerReviewAdmission,
  registerReviewAdmissionWithToken,
  registerListAdmissionDecisions,
  registerGetAdmissionConfig,
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
      "An API key: `Authorization: Bearer kg_…`. The first start prints the tenant `default`'s admin key once. Each operation lists the scope it needs (`admin` ⊇ `scan` ⊇ `read`; `admission` alone).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "platformToken", {
    type: "http",
    scheme: "bearer",
    description:
      "The platform operator's token (`KUBEGUARD_PLATFORM_TOKEN`) for `/v1/admin/*`: `Authorization: Bearer <token>`. Without it configured, the admin API is off (404). Tenant API keys are refused there.",
  });
  for (const register of ROUTES) register(app);
  return app;
}
