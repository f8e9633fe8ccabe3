/**
 * The values the scan options take, as plain data: the CLI checks its flags against them without
 * loading zod (a third of its start-up), and config.ts builds its schemas from them.
 */
import { PSS_LEVELS, SEVERITIES } from "../policies/types.ts";

export { PSS_LEVELS };
export const FAIL_ON_VALUES = [...SEVERITIES, "none"] as const;
/** `latest` or `v1.N`. */
export const PSS_VERSION = /^(latest|v1\.(0|[1-9][0-9]*))$/;
