/** The `admission` module: its checks, registered explicitly in order. */
import type { Check } from "../types.ts";

export const admissionChecks: Check[] = [];
