/**
 * secrets.secret-not-provided: a workload needs a Secret that nothing in the input defines or
 * delivers, so it is either created by hand out of band or missing. Reads the Secret references of
 * the pod spec and the inventory's Secrets and Secret providers (indexed once per inventory).
 */
import type { Path, Resource } from "../../ingest/types.ts";
import {
  describeContainer,
  describeResource,
  POD_TEMPLATE_KINDS,
  podContainers,
  podSpecPath,
} from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { asList, asNonEmptyString, asObject, asString } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import {
  CIS_BENCHMARK,
  EXTERNAL_SECRETS,
  NSA_GUIDE,
  SEALED_SECRETS,
  SECRETS_STORE_CSI,
  secretProviders,
} from "./util.ts";

interface SecretReference {
  name: string;
  path: Path;
  /** Where the reference is, for the message: `volume "creds"`. */
  via: string;
}

/** Required Secret references of a pod template, in spec order; `optional: true` references are left out. */
export function secretReferences(resource: Resource): SecretReference[] {
  const spec = resource.pod?.spec;
  if (!spec) return [];
  const base = podSpecPath(resource);
  const out: SecretReference[] = [];
  // The path and the description are built only for a reference: most entries (env values) hold none.
  const add = (ref: unknown, nameField: string, path: () => Path, via: () => string) => {
    const obj = asObject(ref);
    const name = asNonEmptyString(obj?.[nameField]);
    if (obj && name && obj.optional !== true) out.push({ name, path: [...path(), nameField], via: via() });
  };
  asList(spec.volumes).forEach((entry, i) => {
    const volume = asObject(entry);
    const label = () => `volume "${asString(volume?.name) ?? ""}"`;
    add(volume?.secret, "secretName", () => [...base, "volumes", i, "secret"], label);
    asList(asObject(volume?.projected)?.sources).forEach((source, j) => {
      add(
        asObject(source)?.secret,
        "name",
        () => [...base, "volumes", i, "projected", "sources", j, "secret"],
        label,
      );
    });
  });
  for (const c of podContainers(resource)) {
    asList(c.container.env).forEach((entry, i) => {
      const env = asObject(entry);
      const ref = asObject(env?.valueFrom)?.secretKeyRef;
      if (ref === undefined) return;
      add(
        ref,
        "name",
        () => [...c.path, "env", i, "valueFrom", "secretKeyRef"],
        () => `${describeContainer(c)} env "${asString(env?.name) ?? ""}"`,
      );
    });
    asList(c.container.envFrom).forEach((entry, i) => {
      add(
        asObject(entry)?.secretRef,
        "name",
        () => [...c.path, "envFrom", i, "secretRef"],
        () => `${describeContainer(c)} envFrom`,
      );
    });
  }
  asList(spec.imagePullSecrets).forEach((entry, i) => {
    add(
      entry,
      "name",
      () => [...base, "imagePullSecrets", i],
      () => "imagePullSecrets",
    );
  });
  return out;
}

export const secretNotProvided = defineCheck({
  id: "secrets.secret-not-provided",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Referenced Secret not provided by the input",
  severity: "info",
  description:
    "Reads the Secret references of the pod spec: `volumes[].secret.secretName`, `volumes[].projected.sources[].secret.name`, each container's `env[].valueFrom.secretKeyRef.name` and `envFrom[].secretRef.name`, and `imagePullSecrets[].name` (references with `optional: true` are skipped). Each Secret must be provided in the workload's namespace by something in the input: a Secret (in a cluster snapshot, its metadata), an ExternalSecret (external-secrets.io, any version: `spec.target.name`, else its `metadata.name`), a ClusterExternalSecret (into `spec.namespaces`, or any namespace when it has a namespace selector), a SealedSecret (bitnami.com: `spec.template.metadata.name`, else its `metadata.name`), a SecretProviderClass (secrets-store.csi.x-k8s.io: `spec.secretObjects[].secretName`) or a Vault Secrets Operator resource (secrets.hashicorp.com: `spec.destination.name`). One finding per missing Secret name, at its first reference.",
  remediation:
    "Deliver the Secret with an ExternalSecret, a SealedSecret or a SecretProviderClass kept beside the workload, or include it in the scan input if another pipeline manages it.",
  references: [EXTERNAL_SECRETS, SEALED_SECRETS, SECRETS_STORE_CSI, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "secrets", cis: "5.4.2", "microservices-hardening": "2-external-secrets" },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const refs = secretReferences(resource);
    if (refs.length === 0) return [];
    const providers = secretProviders(ctx.inventory);
    const seen = new Set<string>();
    const out: RawFinding[] = [];
    for (const ref of refs) {
      if (seen.has(ref.name)) continue;
      seen.add(ref.name);
      if (providers.byNamespace.has(resource.namespace, ref.name) || providers.everywhere.has(ref.name))
        continue;
      out.push({
        resource,
        path: ref.path,
        message: `${describeResource(resource)} references Secret "${ref.name}" (${ref.via}), which no Secret, ExternalSecret, SealedSecret or SecretProviderClass in the input provides`,
      });
    }
    return out;
  },
});
