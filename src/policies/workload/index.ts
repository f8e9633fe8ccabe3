/** The `workload` module: hardening beyond PSS for the same pod-carrying objects, registered explicitly in order. */
import type { Check } from "../types.ts";
import { automountServiceAccountToken } from "./automount-service-account-token.ts";
import { defaultServiceAccount } from "./default-service-account.ts";
import { imageNotPinned } from "./image-not-pinned.ts";
import { missingResourceLimits } from "./missing-resource-limits.ts";
import { missingResourceRequests } from "./missing-resource-requests.ts";
import { runAsRootUser } from "./run-as-root-user.ts";
import { shareProcessNamespace } from "./share-process-namespace.ts";
import { writableRootFilesystem } from "./writable-root-filesystem.ts";

export const workloadChecks: Check[] = [
  automountServiceAccountToken,
  defaultServiceAccount,
  writableRootFilesystem,
  runAsRootUser,
  imageNotPinned,
  missingResourceLimits,
  missingResourceRequests,
  shareProcessNamespace,
];
