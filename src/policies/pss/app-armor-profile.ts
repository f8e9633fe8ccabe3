/**
 * PSS `appArmorProfile` (baseline, v1.0; one revision for every version).
 * Restricted fields: spec.securityContext.appArmorProfile.type and each container's
 * securityContext.appArmorProfile.type must be RuntimeDefault or Localhost when the object is present
 * (Unconfined, unknown and missing types fail). Every annotation with the prefix
 * container.apparmor.security.beta.kubernetes.io/ must be "", runtime/default or localhost/*.
 * The field rule was added to the v1.0 revision later, so it applies retroactively to every version.
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
import { compareUtf8, goQuote, joinQuote, pluralize, setters, sortedSet } from "./format.ts";
import type { PssPod } from "./types.ts";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function allowedType(type: string): boolean {
  return type === "RuntimeDefault" || type === "Localhost";
}

function allowedAnnotation(value: string): boolean {
  return value === "" || value === "runtime/default" || value.startsWith("localhost/");
}

/** The type of a present appArmorProfile object that is not allowed, else undefined. */
function badType(profile: unknown): string | undefined {
  const p = asObject(profile);
  if (!p) return undefined;
  const type = asString(p.type) ?? "";
  return allowedType(type) ? undefined : type;
}

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const paths: Path[] = [];
  const badValues: string[] = [];
  let podBad = false;
  const podType = badType(ctx.podSc?.appArmorProfile);
  if (podType !== undefined) {
    podBad = true;
    badValues.push(podType);
    paths.push(podScPath("appArmorProfile", "type"));
  }
  const badContainers: string[] = [];
  for (const c of ctx.containers) {
    const type = badType(c.sc?.appArmorProfile);
    if (type === undefined) continue;
    badContainers.push(c.name);
    badValues.push(type);
    paths.push(scPath(c, "appArmorProfile", "type"));
  }
  const forbidden: { item: string; key: string }[] = [];
  const annotations = ctx.annotations;
  if (annotations) {
    for (const key of Object.keys(annotations)) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      const value = asString(annotations[key]);
      if (value === undefined || allowedAnnotation(value)) continue;
      forbidden.push({ item: `${key}=${goQuote(value)}`, key });
    }
  }
  if (!podBad && badContainers.length === 0 && forbidden.length === 0) return undefined;

  // Field types form a sorted set; the annotation items follow, sorted (keys are unique).
  const values = sortedSet(badValues);
  forbidden.sort((a, b) => compareUtf8(a.item, b.item));
  for (const f of forbidden) {
    values.push(f.item);
    paths.push(["metadata", "annotations", f.key]);
  }
  let who = setters(podBad, badContainers);
  if (forbidden.length > 0) {
    const annotationWord = pluralize("annotation", "annotations", forbidden.length);
    who = who === "" ? annotationWord : `${who} and ${annotationWord}`;
  }
  return {
    reason: pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", values.length),
    detail: `${who} must not set AppArmor profile type to ${joinQuote(values)}`,
    paths,
  };
}

/** PSS `appArmorProfile`: forbids AppArmor profiles other than RuntimeDefault and Localhost. */
export const appArmorProfile: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.app-armor-profile",
    scope: "pss",
    pssCheck: "appArmorProfile",
    pssLevel: "baseline",
    title: "AppArmor profile must not be overridden",
    severity: "medium",
    description:
      "Reads spec.securityContext.appArmorProfile.type, each container's securityContext.appArmorProfile.type " +
      "and every annotation prefixed container.apparmor.security.beta.kubernetes.io/. A present profile " +
      'must have type RuntimeDefault or Localhost; an annotation value must be "", runtime/default or ' +
      "start with localhost/. Unconfined and unknown values are forbidden.",
    remediation:
      "Remove the appArmorProfile override or set its type to RuntimeDefault or Localhost, and remove " +
      "AppArmor annotations that are not runtime/default or localhost/<profile>.",
    references: [
      PSS_DOCS,
      {
        title: "Restrict a Container's Access to Resources with AppArmor",
        url: "https://kubernetes.io/docs/tutorials/security/apparmor/",
      },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-baseline": "appArmorProfile",
      "pss-restricted": "appArmorProfile",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 0, evaluate: evaluate1_0 }],
};
