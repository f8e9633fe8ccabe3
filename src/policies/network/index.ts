/** The `network` module: its checks, registered explicitly in order. */
import type { Check } from "../types.ts";
import { missingDefaultDenyEgress } from "./missing-default-deny-egress.ts";
import { missingDefaultDenyIngress } from "./missing-default-deny-ingress.ts";
import { workloadNotSelected } from "./workload-not-selected.ts";

export const networkChecks: Check[] = [
  missingDefaultDenyIngress,
  missingDefaultDenyEgress,
  workloadNotSelected,
];
