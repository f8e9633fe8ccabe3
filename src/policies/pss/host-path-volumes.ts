/**
 * PSS `hostPathVolumes` (baseline, v1.0).
 * Restricted field: spec.volumes[*].hostPath. Allowed value: unset. A present hostPath fails, even `{}`.
 * At restricted, restrictedVolumes replaces this check at every version.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asArray,
  asObject,
  asString,
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
} from "./check.ts";
import { joinQuote, pluralize } from "./format.ts";
import type { PssPod } from "./types.ts";

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const volumes = asArray(ctx.spec.volumes);
  if (!volumes) return undefined;
  const names: string[] = [];
  const paths: Path[] = [];
  for (let i = 0; i < volumes.length; i++) {
    const v = asObject(volumes[i]);
    if (!v || !asObject(v.hostPath)) continue;
    names.push(asString(v.name) ?? "");
    paths.push(["spec", "volumes", i, "hostPath"]);
  }
  if (names.length === 0) return undefined;
  return {
    reason: "hostPath volumes",
    detail: `${pluralize("volume", "volumes", names.length)} ${joinQuote(names)}`,
    paths,
  };
}

/** PSS `hostPathVolumes`: forbids hostPath volumes. */
export const hostPathVolumes: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.host-path-volumes",
    scope: "pss",
    pssCheck: "hostPathVolumes",
    pssLevel: "baseline",
    title: "Pods must not mount hostPath volumes",
    severity: "high",
    description:
      "Reads spec.volumes[*].hostPath. It must be unset: any hostPath volume, even an empty one, gives the " +
      "pod access to the node's filesystem.",
    remediation:
      "Replace hostPath volumes with persistentVolumeClaim, emptyDir, configMap, secret or another " +
      "non-host volume type.",
    references: [
      PSS_DOCS,
      { title: "Volumes: hostPath", url: "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath" },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-baseline": "hostPathVolumes",
      "pss-restricted": "hostPathVolumes",
      cis: "5.2.12",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 0, evaluate: evaluate1_0 }],
};
