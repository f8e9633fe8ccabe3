/** The `workload` module: its checks, registered explicitly in order. */
import type { Check } from "../types.ts";

export const workloadChecks: Check[] = [];
