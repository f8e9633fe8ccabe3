/**
 * What the admission routes share: the tenant's admission settings (the `admission` key of the tenant
 * settings, `PUT /v1/settings`), the decision recorder that keeps database writes off the admission
 * hot path, and the `ValidatingWebhookConfiguration` served by `GET /v1/admission/config`.
 */
import type { AdmissionDecision } from "../admission/review.ts";
import type { AdmissionSettings } from "../admission/settings.ts";
import { newId } from "../store/crypto.ts";
import type { Store } from "../store/index.ts";
import type { AppDeps } from "./types.ts";

/** How long the admission endpoint reuses a tenant's settings before reading them again. */
export const SETTINGS_CACHE_TTL_MS = 2_000;

const settingsCache = new WeakMap<
  Store,
  Map<string, { settings: AdmissionSettings | undefined; until: number }>
>();

/**
 * The tenant's admission settings, or undefined for the defaults (enforce `baseline`, warn and audit
 * `restricted`, all at `latest`). The one place the admission endpoint reads settings from; they are
 * reused for {@link SETTINGS_CACHE_TTL_MS} (the webhook is called for every Pod write), so a change by
 * `PUT /v1/settings` applies within that time on every instance, at once on the one that made it
 * ({@link forgetAdmissionSettings}).
 */
export async function admissionSettingsFor(
  deps: AppDeps,
  tenantId: string,
): Promise<AdmissionSettings | undefined> {
  let perTenant = settingsCache.get(deps.store);
  if (!perTenant) {
    perTenant = new Map();
    settingsCache.set(deps.store, perTenant);
  }
  const now = deps.clock.now().getTime();
  const hit = perTenant.get(tenantId);
  if (hit && hit.until > now) return hit.settings;
  const settings = (await deps.store.settings.get(tenantId))?.settings.admission;
  if (perTenant.size >= 10_000) perTenant.clear();
  perTenant.set(tenantId, { settings, until: now + SETTINGS_CACHE_TTL_MS });
  return settings;
}

/** Drops a tenant's cached admission settings (after `PUT /v1/settings`). */
export function forgetAdmissionSettings(store: Store, tenantId: string): void {
  settingsCache.get(store)?.delete(tenantId);
}

/** How long a decision waits for others to share its insert. */
export const RECORD_DELAY_MS = 20;

/** Decisions written per transaction. */
export const RECORD_BATCH_ROWS = 24;

/** What is recorded of one decision. */
export interface DecisionInput {
  tenantId: string;
  keyId: string;
  decision: AdmissionDecision;
  at: Date;
}

/**
 * Collects the decisions of concurrent admission requests and writes them in one batch: each request
 * adds its decision and hands the returned promise to `waitUntil` (or the Node tracker), so no request
 * waits for the database, and a burst of requests costs one transaction instead of one each.
 */
export class DecisionRecorder {
  private queue: Parameters<Store["admission"]["record"]>[0][number][] = [];
  private pending: Promise<void> | undefined;

  constructor(private readonly store: Store) {}

  /** Queues a decision; the promise settles when its batch is written. */
  add(input: DecisionInput): Promise<void> {
    const d = input.decision;
    this.queue.push({
      tenantId: input.tenantId,
      id: newId("adm"),
      uid: d.uid,
      keyId: input.keyId,
      operation: d.operation,
      kind: d.kind,
      namespace: d.namespace,
      name: d.name,
      username: d.username,
      allowed: d.allowed,
      ...(d.enforce !== undefined ? { enforce: d.enforce } : {}),
      ...(d.message !== undefined ? { message: d.message } : {}),
      warnings: d.warnings,
      ...(d.exempt !== undefined ? { exempt: d.exempt } : {}),
      at: input.at,
    });
    // A short wait lets the requests being answered meanwhile join this batch: a row costs far less
    // in a batch of a hundred than alone, and the webhook's answer never waits for it.
    this.pending ??= new Promise<void>((resolve) => setTimeout(resolve, RECORD_DELAY_MS)).then(() =>
      this.flush(),
    );
    return this.pending;
  }

  private async flush(): Promise<void> {
    this.pending = undefined;
    const batch = this.queue;
    this.queue = [];
    // The Node driver writes on the event loop: a few dozen rows per transaction, with a turn of the
    // loop between them, so a large batch never holds up the requests arriving meanwhile.
    for (let i = 0; i < batch.length; i += RECORD_BATCH_ROWS) {
      if (i > 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
      await this.store.admission.record(batch.slice(i, i + RECORD_BATCH_ROWS));
    }
  }
}

const recorders = new WeakMap<Store, DecisionRecorder>();

/** The recorder of a store (one per app and database). */
export function decisionRecorder(store: Store): DecisionRecorder {
  let recorder = recorders.get(store);
  if (!recorder) {
    recorder = new DecisionRecorder(store);
    recorders.set(store, recorder);
  }
  return recorder;
}

/** The placeholder `GET /v1/admission/config` puts where the admission key goes. */
export const ADMISSION_KEY_PLACEHOLDER = "<ADMISSION_KEY>";

export type FailurePolicy = "Ignore" | "Fail";

/** YAML double-quoted scalar. */
function q(value: string): string {
  return JSON.stringify(value);
}

/**
 * The `ValidatingWebhookConfiguration` for a tenant: Pods (and their ephemeral containers) and the pod
 * controllers, CREATE and UPDATE, `kube-system` and the tenant's exempt namespaces excluded, the URL
 * form with {@link ADMISSION_KEY_PLACEHOLDER} for the key (never a real key).
 */
export function admissionWebhookConfiguration(input: {
  baseUrl: string;
  tenantId: string;
  failurePolicy: FailurePolicy;
  exemptNamespaces?: readonly string[];
}): string {
  const url = `${input.baseUrl.replace(/\/+$/, "")}/v1/admission/${ADMISSION_KEY_PLACEHOLDER}`;
  const excluded = ["kube-system", ...(input.exemptNamespaces ?? []).filter((n) => n !== "kube-system")];
  return `# kubeguard admission webhook for tenant ${q(input.tenantId)}: Pod Security Standards (and, when the
# tenant's settings say so, other kubeguard checks) evaluated on every Pod and pod controller.
#
# 1. Create a key that can only answer admission reviews:
#      curl -X POST ${input.baseUrl}/v1/keys -H "Authorization: Bearer <admin key>" \\
#        -H "content-type: application/json" -d '{"name":"cluster admission","scopes":["admission"]}'
# 2. Replace ${ADMISSION_KEY_PLACEHOLDER} below with that key. The key is part of the URL, so treat this
#    file as a secret. (To keep it out of the object, use the URL without the last segment and give the
#    API server the key as a bearer token for this host in its AdmissionConfiguration kubeConfigFile.)
# 3. kubectl apply -f this-file.yaml
#
# The URL must be https with a certificate the API server trusts (a public CA needs no caBundle; a
# private one needs clientConfig.caBundle).
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: kubeguard
webhooks:
  - name: pod-security.kubeguard.dev
    admissionReviewVersions: ["v1"]
    # kubeguard records no decision for dry-run requests.
    sideEffects: NoneOnDryRun
    timeoutSeconds: 5
    # failurePolicy decides what happens when kubeguard cannot answer (unreachable, timed out, or an
    # error status such as 401, 429 or 5xx):
    #   Ignore - the request is admitted unchecked: an outage of kubeguard never blocks the cluster,
    #            but Pods created during it are not evaluated (PSA's own controller still runs).
    #   Fail   - the request is rejected: nothing unchecked gets in, but while kubeguard is unreachable
    #            no Pod in a matching namespace can be created or updated (scale-ups and rollouts
    #            stall). Use it once kubeguard has proven reliable from this cluster; keep the
    #            namespaceSelector below so kube-system is never blocked.
    # Fetch this file with ?failurePolicy=Fail to get the strict form.
    failurePolicy: ${input.failurePolicy}
    matchPolicy: Equivalent
    clientConfig:
      url: ${q(url)}
    namespaceSelector:
      matchExpressions:
        - key: kubernetes.io/metadata.name
          operator: NotIn
          values: [${excluded.map(q).join(", ")}]
    rules:
      - apiGroups: [""]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["pods", "pods/ephemeralcontainers", "replicationcontrollers", "podtemplates"]
        scope: Namespaced
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["deployments", "replicasets", "statefulsets", "daemonsets"]
        scope: Namespaced
      - apiGroups: ["batch"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["jobs", "cronjobs"]
        scope: Namespaced
`;
}
