/**
 * PSS `restrictedVolumes` (restricted, v1.0; overrides hostPathVolumes).
 * Restricted field: spec.volumes[*] and the source each sets. Allowed sources, at every version:
 * configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret.
 * A volume that sets no known source is defaulted to emptyDir by the API server, so it is allowed.
 */
import type { Path } from "../../ingest/types.ts";
import { ALLOWED_VOLUME_SOURCES, RESTRICTED_VOLUME_SOURCES } from "../../ingest/volumes.ts";
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
import { joinQuote, pluralize, sortedSet } from "./format.ts";
import type { PssPod } from "./types.ts";

const ALLOWED = ALLOWED_VOLUME_SOURCES;
// The library names a bad volume by the first of these it sets.
const RESTRICTED = RESTRICTED_VOLUME_SOURCES;

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const volumes = asArray(ctx.spec.volumes);
  if (!volumes) return undefined;
  const names: string[] = [];
  const types: string[] = [];
  const paths: Path[] = [];
  outer: for (let i = 0; i < volumes.length; i++) {
    const v = asObject(volumes[i]);
    if (!v) continue;
    for (const source of ALLOWED) if (asObject(v[source])) continue outer;
    let type: string | undefined;
    for (const source of RESTRICTED) {
      if (asObject(v[source])) {
        type = source;
        break;
      }
    }
    // No source at all: the API server defaults it to emptyDir, which is allowed.
    if (type === undefined) continue;
    names.push(asString(v.name) ?? "");
    types.push(type);
    paths.push(["spec", "volumes", i, type]);
  }
  if (names.length === 0) return undefined;
  const distinct = sortedSet(types);
  const k = names.length;
  return {
    reason: "restricted volume types",
    detail:
      `${pluralize("volume", "volumes", k)} ${joinQuote(names)} ${pluralize("uses", "use", k)} ` +
      `${pluralize("restricted volume type", "restricted volume types", distinct.length)} ${joinQuote(distinct)}`,
    paths,
  };
}

/** PSS `restrictedVolumes`: allows only ephemeral, projected and claim-backed volume types. */
export const restrictedVolumes: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.restricted-volumes",
    scope: "pss",
    pssCheck: "restrictedVolumes",
    pssLevel: "restricted",
    title: "Only restricted volume types may be used",
    severity: "medium",
    description:
      "Reads spec.volumes[*]. Each volume must use configMap, csi, downwardAPI, emptyDir, ephemeral, image, " +
      "persistentVolumeClaim, projected or secret (a volume with no source is defaulted to emptyDir). " +
      "hostPath, nfs, gitRepo, cloud-disk and other in-tree sources are forbidden.",
    remediation:
      "Replace the volume with a persistentVolumeClaim, or an emptyDir, configMap, secret, projected, " +
      "downwardAPI, csi, ephemeral or image volume.",
    references: [
      PSS_DOCS,
      { title: "Volumes", url: "https://kubernetes.io/docs/concepts/storage/volumes/" },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-restricted": "restrictedVolumes",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 0, overrides: ["hostPathVolumes"], evaluate: evaluate1_0 }],
};
