/**
 * PSS `seLinuxOptions` (baseline, v1.0 / v1.31).
 * Restricted fields: spec.securityContext.seLinuxOptions and each container's
 * securityContext.seLinuxOptions, when present: `type` must be unset, "", container_t,
 * container_init_t or container_kvm_t (v1.31+ also container_engine_t); `user` and `role` must be
 * unset or "". `level` is never checked.
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
  SECURITY_CONTEXT_DOCS,
  scPath,
} from "./check.ts";
import { joinQuote, pluralize, setters, sortedSet } from "./format.ts";
import type { PssPod } from "./types.ts";

const TYPES_1_0: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
const TYPES_1_31: ReadonlySet<string> = new Set([...TYPES_1_0, "container_engine_t"]);

interface Findings {
  badTypes: string[];
  user: boolean;
  role: boolean;
}

/** Checks one options object; returns the first offending field, or undefined when it is valid. */
function check(options: unknown, allowed: ReadonlySet<string>, f: Findings): string | undefined {
  const o = asObject(options);
  if (!o) return undefined;
  let first: string | undefined;
  const type = asString(o.type) ?? "";
  if (!allowed.has(type)) {
    f.badTypes.push(type);
    first = "type";
  }
  if ((asString(o.user) ?? "") !== "") {
    f.user = true;
    first ??= "user";
  }
  if ((asString(o.role) ?? "") !== "") {
    f.role = true;
    first ??= "role";
  }
  return first;
}

function evaluateWith(ctx: PssContext, allowed: ReadonlySet<string>): PssCheckResult | undefined {
  const f: Findings = { badTypes: [], user: false, role: false };
  const paths: Path[] = [];
  const podField = check(ctx.podSc?.seLinuxOptions, allowed, f);
  if (podField !== undefined) paths.push(podScPath("seLinuxOptions", podField));
  const bad: string[] = [];
  for (const c of ctx.containers) {
    const field = check(c.sc?.seLinuxOptions, allowed, f);
    if (field === undefined) continue;
    bad.push(c.name);
    paths.push(scPath(c, "seLinuxOptions", field));
  }
  if (paths.length === 0) return undefined;
  const parts: string[] = [];
  if (f.badTypes.length > 0) {
    const types = sortedSet(f.badTypes);
    parts.push(`${pluralize("type", "types", types.length)} ${joinQuote(types)}`);
  }
  if (f.user) parts.push("user may not be set");
  if (f.role) parts.push("role may not be set");
  return {
    reason: "seLinuxOptions",
    detail: `${setters(podField !== undefined, bad)} set forbidden securityContext.seLinuxOptions: ${parts.join("; ")}`,
    paths,
  };
}

/** PSS `seLinuxOptions`: forbids custom SELinux users, roles and types. */
export const seLinuxOptions: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.se-linux-options",
    scope: "pss",
    pssCheck: "seLinuxOptions",
    pssLevel: "baseline",
    title: "SELinux options must not be customised",
    severity: "medium",
    description:
      "Reads spec.securityContext.seLinuxOptions and each container's securityContext.seLinuxOptions. " +
      "type must be unset, empty, container_t, container_init_t or container_kvm_t (container_engine_t " +
      "too from policy v1.31); user and role must be unset or empty. level is not restricted.",
    remediation:
      "Remove seLinuxOptions.user and seLinuxOptions.role, and leave seLinuxOptions.type unset or use " +
      "one of the allowed container types.",
    references: [PSS_DOCS, SECURITY_CONTEXT_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-baseline": "seLinuxOptions",
      "pss-restricted": "seLinuxOptions",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    { minVersion: 0, evaluate: (_pod: PssPod, ctx: PssContext) => evaluateWith(ctx, TYPES_1_0) },
    { minVersion: 31, evaluate: (_pod: PssPod, ctx: PssContext) => evaluateWith(ctx, TYPES_1_31) },
  ],
};
