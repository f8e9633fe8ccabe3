/**
 * The shape of a PSS check and the pod view every check reads. A check is metadata plus revisions,
 * each with a minimum policy version, as in the upstream library. The pod view is built once per
 * evaluation and reads the raw JSON defensively: a wrong-typed field counts as absent (ingest reports
 * type errors separately), so no check can throw on any input.
 */
import type { KObject, Path } from "../../ingest/types.ts";
import type { PssCheckMeta } from "../types.ts";
import type { PssPod } from "./types.ts";

/** What a forbidding revision returns; the evaluator adds the check ID. */
export interface PssCheckResult {
  reason: string;
  detail: string;
  /** Offending fields relative to the PssPod, in visiting order; at least one. */
  paths: Path[];
}

/** One revision of a check: used for every version from `minVersion` up to the next revision. */
export interface PssRevision {
  /** Minimum policy minor version (`v1.<minVersion>`). */
  minVersion: number;
  /** Baseline check IDs that this (restricted) revision replaces. */
  overrides?: readonly string[];
  /** `undefined` when the pod is allowed. */
  evaluate(pod: PssPod, ctx: PssContext): PssCheckResult | undefined;
}

/** A check: registry metadata plus its revisions in increasing `minVersion`. */
export interface PssCheckDefinition {
  meta: PssCheckMeta;
  revisions: readonly PssRevision[];
}

/** The three container lists, in the library's visiting order. */
export const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** One container as the checks see it. */
export interface ContainerView {
  list: ContainerList;
  index: number;
  /** `""` when missing or not a string. */
  name: string;
  /** The container object; an empty object when the entry is not an object. */
  obj: KObject;
  /** `securityContext`, when it is an object. */
  sc: KObject | undefined;
}

/** The pod as every check reads it, built once per evaluation. */
export interface PssContext {
  /** The clamped policy minor version being evaluated. */
  minor: number;
  metadata: KObject;
  spec: KObject;
  /** `metadata.annotations`, when it is an object. */
  annotations: KObject | undefined;
  /** `spec.securityContext`, when it is an object. */
  podSc: KObject | undefined;
  /** Init containers, then containers, then ephemeral containers. */
  containers: readonly ContainerView[];
  /** `spec.os.name` is exactly `windows`. */
  windows: boolean;
  /** `spec.hostUsers` is explicitly `false`. */
  userNamespace: boolean;
}

const EMPTY: KObject = Object.freeze({}) as KObject;

/** `v` when it is a plain JSON object (not null, not an array). */
export function asObject(v: unknown): KObject | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as KObject) : undefined;
}

/** `v` when it is an array. */
export function asArray(v: unknown): readonly unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** `v` when it is a string. */
export function asString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** `v` when it is a boolean. */
export function asBool(v: unknown): boolean | undefined {
  return typeof v === "boolean" ? v : undefined;
}

/** `v` when it is an integer number. */
export function asInteger(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) ? v : undefined;
}

/** Builds the pod view for one evaluation. Never throws. */
export function buildContext(pod: PssPod, minor: number): PssContext {
  const metadata = asObject(pod?.metadata) ?? EMPTY;
  const spec = asObject(pod?.spec) ?? EMPTY;
  const containers: ContainerView[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = asArray(spec[list]);
    if (!items) continue;
    for (let index = 0; index < items.length; index++) {
      // Go decodes a null list entry as a zero-valued container, so a non-object counts as an empty one.
      const obj = asObject(items[index]) ?? EMPTY;
      containers.push({
        list,
        index,
        name: asString(obj.name) ?? "",
        obj,
        sc: asObject(obj.securityContext),
      });
    }
  }
  return {
    minor,
    metadata,
    spec,
    annotations: asObject(metadata.annotations),
    podSc: asObject(spec.securityContext),
    containers,
    windows: asObject(spec.os)?.name === "windows",
    userNamespace: spec.hostUsers === false,
  };
}

/** Path of a container field: `["spec", <list>, <index>, ...rest]`. */
export function containerPath(c: ContainerView, ...rest: (string | number)[]): Path {
  return ["spec", c.list, c.index, ...rest];
}

/** Path of a container `securityContext` field. */
export function scPath(c: ContainerView, ...rest: (string | number)[]): Path {
  return ["spec", c.list, c.index, "securityContext", ...rest];
}

/** Path of a pod-level `securityContext` field. */
export function podScPath(...rest: (string | number)[]): Path {
  return ["spec", "securityContext", ...rest];
}

/** The Pod Security Standards page, cited by every check. */
export const PSS_DOCS = {
  title: "Pod Security Standards",
  url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
} as const;

/** The Pod Security Admission library, whose behaviour the checks reproduce. */
export const PSA_LIBRARY = {
  title: "Pod Security Admission library (k8s.io/pod-security-admission)",
  url: "https://github.com/kubernetes/pod-security-admission",
} as const;

/** Configure a Security Context for a Pod or Container. */
export const SECURITY_CONTEXT_DOCS = {
  title: "Configure a Security Context for a Pod or Container",
  url: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
} as const;
