/**
 * Kubernetes admission: decide an `admission.k8s.io/v1` AdmissionReview the way the built-in Pod
 * Security Admission controller does (enforce rejects Pods, warn and audit annotate, controllers are
 * only warned), plus kubeguard's own checks when the tenant asks for them. Pure: the API route records
 * the decision.
 */
import { z } from "zod";
import { extractPod, formatPath, ingest, metadataProblem } from "../ingest/index.ts";
import type { KObject, Path } from "../ingest/types.ts";
import { evaluatePss } from "../policies/pss/index.ts";
import { RESOURCE_CHECKS } from "../policies/registry.ts";
import { type CheckContext, severityRank } from "../policies/types.ts";
import { buildInventory } from "../scan/inventory.ts";
import { type AdmissionSettings, type ModePolicy, modesFor } from "./settings.ts";

const gvk = z.object({ group: z.string(), version: z.string(), kind: z.string() });
const gvr = z.object({ group: z.string(), version: z.string(), resource: z.string() });

/** The part of an AdmissionReview request we read; the rest is ignored. */
export const admissionReviewSchema = z.object({
  apiVersion: z.literal("admission.k8s.io/v1"),
  kind: z.literal("AdmissionReview"),
  request: z.object({
    uid: z.string().min(1),
    kind: gvk,
    resource: gvr,
    subResource: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    operation: z.enum(["CREATE", "UPDATE", "DELETE", "CONNECT"]),
    userInfo: z.object({ username: z.string().optional() }).passthrough().optional(),
    object: z.record(z.string(), z.unknown()).nullable().optional(),
    oldObject: z.record(z.string(), z.unknown()).nullable().optional(),
    dryRun: z.boolean().optional(),
  }),
});

export type AdmissionReviewRequest = z.infer<typeof admissionReviewSchema>["request"];

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason: string; message: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

/** What was decided, for the tenant's decision log. */
export interface AdmissionDecision {
  uid: string;
  operation: string;
  kind: string;
  namespace: string;
  name: string;
  username: string;
  allowed: boolean;
  dryRun: boolean;
  /** `<level>:<version>` of enforce, when evaluated. */
  enforce?: string;
  /** Why it was denied (the status message). */
  message?: string;
  warnings: string[];
  /** `namespace`, `user` or `runtimeClass` when exempt; `ignored` when not evaluated at all. */
  exempt?: string;
}

export type AdmissionOutcome =
  | {
      ok: true;
      review: { apiVersion: "admission.k8s.io/v1"; kind: "AdmissionReview"; response: AdmissionResponse };
      decision: AdmissionDecision;
    }
  | { ok: false; detail: string; errors: { path: string; message: string }[] };

const POD_CONTROLLERS: Record<string, string> = {
  Deployment: "apps",
  ReplicaSet: "apps",
  StatefulSet: "apps",
  DaemonSet: "apps",
  Job: "batch",
  CronJob: "batch",
  ReplicationController: "",
  PodTemplate: "",
};
/** Pod subresources the PSA controller ignores; any other (ephemeralcontainers) is evaluated. */
const IGNORED_POD_SUBRESOURCES = new Set([
  "exec",
  "attach",
  "binding",
  "eviction",
  "log",
  "portforward",
  "proxy",
  "status",
]);

const policyString = (p: ModePolicy) => `${p.level}:${p.version}`;

/**
 * Why `object` cannot be the `kind` the review names, as ingest would refuse it: a `kind` of its own
 * that differs, an `apiVersion` that is not a string, or malformed metadata.
 */
function identityProblem(object: KObject, kind: string): { path: Path; message: string } | undefined {
  if (object.kind !== undefined && object.kind !== kind) {
    return { path: ["kind"], message: `kind: expected ${JSON.stringify(kind)} as request.kind says` };
  }
  if (object.apiVersion !== undefined && typeof object.apiVersion !== "string") {
    return { path: ["apiVersion"], message: "apiVersion: expected a string" };
  }
  return metadataProblem(object);
}

/** Images and container counts: an update that changes none of them is allowed without evaluation (PSA semantics). */
function significantPodUpdate(oldPod: KObject | null | undefined, newPod: KObject): boolean {
  if (!oldPod) return true;
  const spec = (o: KObject) => (o.spec && typeof o.spec === "object" ? (o.spec as KObject) : {});
  const list = (s: KObject, k: string) => (Array.isArray(s[k]) ? (s[k] as unknown[]) : []);
  const images = (items: unknown[]) =>
    items.map((c) => (c && typeof c === "object" ? (c as KObject).image : undefined));
  const a = spec(oldPod);
  const b = spec(newPod);
  for (const key of ["containers", "initContainers"]) {
    const x = list(a, key);
    const y = list(b, key);
    if (x.length !== y.length) return true;
    const ix = images(x);
    if (images(y).some((img, i) => img !== ix[i])) return true;
  }
  return JSON.stringify(list(a, "ephemeralContainers")) !== JSON.stringify(list(b, "ephemeralContainers"));
}

/** Decide one AdmissionReview for the tenant's settings. A malformed review is `ok: false` (HTTP 400), never an allow. */
export function reviewAdmission(
  body: unknown,
  settings: AdmissionSettings | undefined,
  now: Date,
): AdmissionOutcome {
  const parsed = admissionReviewSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      detail: "the body is not an admission.k8s.io/v1 AdmissionReview with a request",
      errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  }
  const req = parsed.data.request;
  const namespace = req.namespace ?? "";
  const object = req.object ?? undefined;
  const meta = (object?.metadata ?? {}) as KObject;
  const name = req.name || (typeof meta.name === "string" ? meta.name : "");
  const username = req.userInfo?.username ?? "";
  const decision: AdmissionDecision = {
    uid: req.uid,
    operation: req.operation,
    kind: req.kind.kind,
    namespace,
    name,
    username,
    allowed: true,
    dryRun: req.dryRun === true,
    warnings: [],
  };
  const respond = (response: Omit<AdmissionResponse, "uid">): AdmissionOutcome => ({
    ok: true,
    review: {
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      response: { uid: req.uid, ...response },
    },
    decision,
  });

  const isPod = req.kind.kind === "Pod" && req.kind.group === "";
  const isController = POD_CONTROLLERS[req.kind.kind] === req.kind.group && !isPod;
  const relevantOp = req.operation === "CREATE" || req.operation === "UPDATE";
  const ignoredSub = req.subResource ? (isPod ? IGNORED_POD_SUBRESOURCES.has(req.subResource) : true) : false;
  if ((!isPod && !isController) || !relevantOp || ignoredSub) {
    decision.exempt = "ignored";
    return respond({ allowed: true });
  }
  if (!object) {
    return {
      ok: false,
      detail: `request.object is required for ${req.operation} of ${req.kind.kind}`,
      errors: [{ path: "request.object", message: "missing" }],
    };
  }
  if (
    isPod &&
    req.operation === "UPDATE" &&
    !req.subResource &&
    !significantPodUpdate(req.oldObject, object)
  ) {
    decision.exempt = "ignored";
    return respond({ allowed: true });
  }

  const ex = settings?.exemptions;
  // The pod is read straight from the parsed object, after the checks ingest makes of a resource (its
  // kind, apiVersion and metadata); the resource itself is built only for `denySeverity`'s checks.
  const objectProblem = identityProblem(object as KObject, req.kind.kind);
  const pod = objectProblem ? undefined : extractPod(object as KObject, req.kind.kind).pod;
  const resourceOf = () =>
    ingest([
      {
        file: "admission",
        text: JSON.stringify({
          apiVersion: `${req.kind.group ? `${req.kind.group}/` : ""}${req.kind.version}`,
          kind: req.kind.kind,
          ...object,
        }),
      },
    ]).resources[0];
  const runtimeClass = typeof pod?.spec.runtimeClassName === "string" ? pod.spec.runtimeClassName : undefined;
  const exempt = ex?.usernames?.includes(username)
    ? "user"
    : ex?.namespaces?.includes(namespace)
      ? "namespace"
      : runtimeClass && ex?.runtimeClasses?.includes(runtimeClass)
        ? "runtimeClass"
        : undefined;
  if (exempt) {
    decision.exempt = exempt;
    return respond({ allowed: true, auditAnnotations: { exempt } });
  }
  if (objectProblem) {
    return {
      ok: false,
      detail: `request.object is not a valid ${req.kind.kind}: ${objectProblem.message}`,
      errors: [{ path: `request.object.${formatPath(objectProblem.path)}`, message: objectProblem.message }],
    };
  }
  const noPod = (): AdmissionOutcome => ({
    ok: false,
    detail: `request.object is not a valid ${req.kind.kind}: no pod spec could be read`,
    errors: [{ path: "request.object.spec", message: "missing or malformed pod spec" }],
  });
  if (!pod) return noPod();

  const modes = modesFor(settings, namespace);
  const podInput = { metadata: pod.metadata, spec: pod.spec };
  // Warn and audit are usually the same policy: evaluate each distinct one once.
  const evaluations = new Map<string, ReturnType<typeof evaluatePss>>();
  const evaluate = (mode: ModePolicy) => {
    const key = policyString(mode);
    let e = evaluations.get(key);
    if (!e) {
      e = evaluatePss(podInput, mode.level, mode.version);
      evaluations.set(key, e);
    }
    return e;
  };
  const auditAnnotations: Record<string, string> = {};
  const warnings: string[] = [];
  let allowed = true;
  let status: AdmissionResponse["status"];
  const allPrivileged = [modes.enforce, modes.warn, modes.audit].every((m) => m.level === "privileged");
  // Keys are unprefixed: the API server prefixes them with the webhook's name.
  if (isPod)
    auditAnnotations["enforce-policy"] = allPrivileged ? "privileged:latest" : policyString(modes.enforce);
  if (isPod) {
    decision.enforce = policyString(modes.enforce);
    const enforce = evaluate(modes.enforce);
    if (!enforce.allowed) {
      allowed = false;
      const who = name ? `pods "${name}"` : "pods";
      status = {
        code: 403,
        reason: "Forbidden",
        message: `${who} is forbidden: violates PodSecurity "${policyString(modes.enforce)}": ${enforce.message}`,
      };
    }
  }
  const audit = evaluate(modes.audit);
  if (!audit.allowed)
    auditAnnotations["audit-violations"] =
      `would violate PodSecurity "${policyString(modes.audit)}": ${audit.message}`;
  if (allowed) {
    const warn = evaluate(modes.warn);
    if (!warn.allowed)
      warnings.push(`would violate PodSecurity "${policyString(modes.warn)}": ${warn.message}`);
  }

  if (allowed && settings?.denySeverity) {
    const resource = resourceOf();
    // Never an allow by accident: what the checks cannot read is refused.
    if (!resource?.pod) return noPod();
    const threshold = severityRank(settings.denySeverity);
    const ctx: CheckContext = {
      pssLevel: modes.enforce.level,
      pssVersion: modes.enforce.version,
      now,
      inventory: buildInventory([resource]),
    };
    const hits: string[] = [];
    for (const check of RESOURCE_CHECKS) {
      if (check.kinds && !check.kinds.includes(resource.kind)) continue;
      if (severityRank(check.severity) < threshold) continue;
      for (const f of check.evaluate(resource, ctx)) {
        if (severityRank(f.severity ?? check.severity) >= threshold) hits.push(`${check.id}: ${f.message}`);
      }
    }
    if (hits.length > 0) {
      allowed = false;
      const plural = req.kind.kind === "Pod" ? "pods" : `${req.kind.kind.toLowerCase()}s`;
      status = {
        code: 403,
        reason: "Forbidden",
        message: `${plural}${name ? ` "${name}"` : ""} is forbidden: violates kubeguard policy (severity ${settings.denySeverity} or higher): ${hits.join("; ")}`,
      };
    }
  }

  decision.allowed = allowed;
  decision.warnings = warnings;
  if (status) decision.message = status.message;
  return respond({
    allowed,
    ...(status ? { status } : {}),
    ...(warnings.length ? { warnings } : {}),
    ...(Object.keys(auditAnnotations).length ? { auditAnnotations } : {}),
  });
}
