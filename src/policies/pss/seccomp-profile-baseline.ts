/**
 * PSS `seccompProfile_baseline` (baseline, v1.0 / v1.19).
 * v1.0–v1.18 read only annotations: seccomp.security.alpha.kubernetes.io/pod and
 * container.seccomp.security.alpha.kubernetes.io/<name of a container in the pod>, when present,
 * must be runtime/default, docker/default or localhost/*; an empty value fails.
 * v1.19+ read only fields: spec.securityContext.seccompProfile.type and each container's
 * securityContext.seccompProfile.type, when the profile is present, must be RuntimeDefault or
 * Localhost; Unconfined, unknown and missing types fail. At restricted from v1.19,
 * seccompProfile_restricted replaces this check.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asObject,
  asString,
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  podScPath,
  scPath,
} from "./check.ts";
import { goQuote, joinQuote, pluralize, setters, sortedSet } from "./format.ts";
import type { PssPod } from "./types.ts";

const POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

/** The seccomp tutorial, cited by both seccomp checks. */
export const SECCOMP_DOCS = {
  title: "Restrict a Container's Syscalls with seccomp",
  url: "https://kubernetes.io/docs/tutorials/security/seccomp/",
} as const;

function validAnnotation(value: string): boolean {
  return value === "runtime/default" || value === "docker/default" || value.startsWith("localhost/");
}

/** RuntimeDefault and Localhost are the allowed seccompProfile types. */
export function validSeccompType(type: string): boolean {
  return type === "RuntimeDefault" || type === "Localhost";
}

/** The type of a present seccompProfile object that is not allowed, else undefined. */
export function badSeccompType(profile: unknown): string | undefined {
  const p = asObject(profile);
  if (!p) return undefined;
  const type = asString(p.type) ?? "";
  return validSeccompType(type) ? undefined : type;
}

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const annotations = ctx.annotations;
  if (!annotations) return undefined;
  const items: string[] = [];
  const paths: Path[] = [];
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const value = asString(annotations[key]);
    if (value === undefined || validAnnotation(value)) return;
    items.push(`${key}=${goQuote(value)}`);
    paths.push(["metadata", "annotations", key]);
  };
  if (Object.hasOwn(annotations, POD_ANNOTATION)) visit(POD_ANNOTATION);
  for (const c of ctx.containers) {
    const key = CONTAINER_ANNOTATION_PREFIX + c.name;
    if (Object.hasOwn(annotations, key)) visit(key);
  }
  if (items.length === 0) return undefined;
  const list = sortedSet(items);
  return {
    reason: "seccompProfile",
    detail: `forbidden ${pluralize("annotation", "annotations", list.length)} ${list.join(", ")}`,
    paths,
  };
}

function evaluate1_19(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const badValues: string[] = [];
  const paths: Path[] = [];
  const podType = badSeccompType(ctx.podSc?.seccompProfile);
  if (podType !== undefined) {
    badValues.push(podType);
    paths.push(podScPath("seccompProfile", "type"));
  }
  const bad: string[] = [];
  for (const c of ctx.containers) {
    const type = badSeccompType(c.sc?.seccompProfile);
    if (type === undefined) continue;
    bad.push(c.name);
    badValues.push(type);
    paths.push(scPath(c, "seccompProfile", "type"));
  }
  if (paths.length === 0) return undefined;
  return {
    reason: "seccompProfile",
    detail: `${setters(podType !== undefined, bad)} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
    paths,
  };
}

/** PSS `seccompProfile_baseline`: forbids disabling seccomp (Unconfined). */
export const seccompProfileBaseline: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.seccomp-profile-baseline",
    scope: "pss",
    pssCheck: "seccompProfile_baseline",
    pssLevel: "baseline",
    title: "Seccomp must not be disabled",
    severity: "medium",
    description:
      "Policy v1.19+: reads spec.securityContext.seccompProfile.type and each container's " +
      "securityContext.seccompProfile.type; a present profile must be RuntimeDefault or Localhost " +
      "(Unconfined is forbidden). Policy v1.0–v1.18: reads the annotations " +
      "seccomp.security.alpha.kubernetes.io/pod and container.seccomp.security.alpha.kubernetes.io/<container>, " +
      "which must be runtime/default, docker/default or localhost/<profile>.",
    remediation:
      "Set seccompProfile.type to RuntimeDefault or Localhost, or remove the Unconfined profile " +
      "(on policy versions before v1.19, use the annotation value runtime/default).",
    references: [PSS_DOCS, SECCOMP_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-baseline": "seccompProfile_baseline",
      "pss-restricted": "seccompProfile_baseline",
      cis: "5.7.2",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    { minVersion: 0, evaluate: evaluate1_0 },
    { minVersion: 19, evaluate: evaluate1_19 },
  ],
};
