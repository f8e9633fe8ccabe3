/**
 * Pod Security Admission namespace labels (`pod-security.kubernetes.io/<mode>[-version]`), read as
 * the admission controller reads them (SPEC §5 of the PSS conformance material): valid values,
 * the fallback for invalid ones (an invalid enforce level becomes `restricted`, an invalid audit or
 * warn level `privileged`, an invalid version `latest`), and the namespaces Kubernetes itself runs.
 */
import type { Resource } from "../../ingest/types.ts";
import { asObject } from "../common/objects.ts";
import { PSS_LEVELS, type PssLevel, type Reference } from "../types.ts";

export const PSS_LABEL_PREFIX = "pod-security.kubernetes.io/";
export const ENFORCE_LABEL = `${PSS_LABEL_PREFIX}enforce`;
export const ENFORCE_VERSION_LABEL = `${PSS_LABEL_PREFIX}enforce-version`;

/** Namespaces Kubernetes creates for its own components, where `privileged` is expected. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  "kube-system",
  "kube-public",
  "kube-node-lease",
]);

const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

export const PSA_DOCS: Reference = {
  title: "Kubernetes: Pod Security Admission",
  url: "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
};

export const PSA_LABELS_DOCS: Reference = {
  title: "Kubernetes: Enforce Pod Security Standards with Namespace Labels",
  url: "https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/",
};

export const PSS_DOCS: Reference = {
  title: "Kubernetes: Pod Security Standards",
  url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
};

export const NSA_GUIDE: Reference = {
  title: "NSA/CISA Kubernetes Hardening Guidance: Pod security and admission control",
  url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
};

export const CIS_BENCHMARK: Reference = {
  title:
    "CIS Kubernetes Benchmark 5.2.1: Ensure that the cluster has at least one active policy control mechanism",
  url: "https://www.cisecurity.org/benchmark/kubernetes",
};

/** The raw `metadata.labels` of a Namespace (values of any type, as written). */
export function rawLabels(ns: Resource): Record<string, unknown> {
  return asObject(asObject(ns.object.metadata)?.labels) ?? {};
}

export function isLevel(v: unknown): v is PssLevel {
  return typeof v === "string" && (PSS_LEVELS as readonly string[]).includes(v);
}

export function isVersion(v: unknown): v is string {
  return typeof v === "string" && (v === "latest" || VERSION.test(v));
}

/** The enforce policy of a namespace, after defaults and fallbacks. */
export interface EnforcePolicy {
  level: PssLevel;
  version: string;
  /** The enforce label is present. */
  labelled: boolean;
  /** The enforce label is present but not a valid level, so `restricted` applies. */
  invalidLevel: boolean;
}

/**
 * The enforce level and version admission applies in a namespace. No label means the default
 * `privileged` (the AdmissionConfiguration defaults are not in the input); invalid values fall back
 * as the library does.
 */
export function enforcePolicy(ns: Resource): EnforcePolicy {
  const labels = rawLabels(ns);
  const labelled = Object.hasOwn(labels, ENFORCE_LABEL);
  const raw = labels[ENFORCE_LABEL];
  const level: PssLevel = !labelled ? "privileged" : isLevel(raw) ? raw : "restricted";
  const rawVersion = labels[ENFORCE_VERSION_LABEL];
  const version = isVersion(rawVersion) ? rawVersion : "latest";
  return { level, version, labelled, invalidLevel: labelled && !isLevel(raw) };
}

/** A label value as a message shows it: `"Restricted"`, `1.25`, `null` (at most 64 characters). */
export function showValue(v: unknown): string {
  const text = typeof v === "string" ? `"${v}"` : (JSON.stringify(v) ?? String(v));
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}
