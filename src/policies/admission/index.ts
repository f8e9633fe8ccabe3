/** The `admission` module: its checks, registered explicitly in order. */
import type { Check } from "../types.ts";
import { invalidLabel } from "./invalid-label.ts";
import { missingEnforceLabel } from "./missing-enforce-label.ts";
import { privilegedEnforce } from "./privileged-enforce.ts";
import { unpinnedEnforceVersion } from "./unpinned-enforce-version.ts";
import { workloadRejected } from "./workload-rejected.ts";

export const admissionChecks: Check[] = [
  missingEnforceLabel,
  privilegedEnforce,
  invalidLabel,
  unpinnedEnforceVersion,
  workloadRejected,
];
