/**
 * secrets.secret-as-env-var: Secrets exposed as environment variables leak into crash dumps, child
 * processes, `/proc/<pid>/environ` and logs that print the environment; mounted files do not.
 * Reads `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef` of every container.
 */

import {
  describeContainer,
  describeResource,
  POD_TEMPLATE_KINDS,
  podContainers,
} from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { asList, asObject, asString } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import { CIS_BENCHMARK, NSA_GUIDE, SECRETS_GOOD_PRACTICES } from "./util.ts";

export const secretAsEnvVar = defineCheck({
  id: "secrets.secret-as-env-var",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Secret consumed as environment variables",
  severity: "low",
  description:
    "Reads `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef` of every init, regular and ephemeral container; each one fails (one finding per entry). Secrets mounted as files (`volumes[].secret`, projected volumes, the Secrets Store CSI driver) pass.",
  remediation:
    "Mount the Secret as a read-only volume (volumes[].secret or the Secrets Store CSI driver) and have the application read the file instead of an environment variable.",
  references: [
    {
      title: "Secrets: using Secrets as files from a Pod",
      url: "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod",
    },
    SECRETS_GOOD_PRACTICES,
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "secrets", cis: "5.4.1", "microservices-hardening": "2-external-secrets" },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const out: RawFinding[] = [];
    for (const c of podContainers(resource)) {
      // Described only for a finding: most containers read no Secret into their environment.
      let described: string | undefined;
      const who = () => {
        described ??= `${describeResource(resource)} ${describeContainer(c)}`;
        return described;
      };
      asList(c.container.env).forEach((entry, i) => {
        const env = asObject(entry);
        const ref = asObject(asObject(env?.valueFrom)?.secretKeyRef);
        if (!ref) return;
        out.push({
          resource,
          path: [...c.path, "env", i, "valueFrom", "secretKeyRef"],
          message: `${who()} reads key "${asString(ref.key) ?? ""}" of Secret "${asString(ref.name) ?? ""}" into env "${asString(env?.name) ?? ""}"`,
        });
      });
      asList(c.container.envFrom).forEach((entry, i) => {
        const ref = asObject(asObject(entry)?.secretRef);
        if (!ref) return;
        out.push({
          resource,
          path: [...c.path, "envFrom", i, "secretRef"],
          message: `${who()} loads every key of Secret "${asString(ref.name) ?? ""}" into its environment (envFrom)`,
        });
      });
    }
    return out;
  },
});
