/** The `secrets` module: Secrets kept out of manifests and delivered by an external manager, registered explicitly in order. */
import type { Check } from "../types.ts";
import { credentialInConfigmap } from "./credential-in-configmap.ts";
import { externalSecretStoreMissing } from "./external-secret-store-missing.ts";
import { literalCredentialInEnv } from "./literal-credential-in-env.ts";
import { plaintextSecretInManifest } from "./plaintext-secret-in-manifest.ts";
import { secretAsEnvVar } from "./secret-as-env-var.ts";
import { secretManagedByHand } from "./secret-managed-by-hand.ts";
import { secretNotProvided } from "./secret-not-provided.ts";

export const secretsChecks: Check[] = [
  plaintextSecretInManifest,
  literalCredentialInEnv,
  credentialInConfigmap,
  secretAsEnvVar,
  secretNotProvided,
  externalSecretStoreMissing,
  secretManagedByHand,
];
