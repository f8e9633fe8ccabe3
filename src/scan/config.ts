/**
 * The `.kubeguard.yaml` schema, shared with the API's tenant settings: PSS level and version,
 * failOn, checks disabled or re-rated, and exemptions by check, namespace, kind and name glob.
 */
import { z } from "zod";
import { admissionSettingsSchema } from "../admission/settings.ts";
import { SEVERITIES } from "../policies/types.ts";
import { FAIL_ON_VALUES, PSS_LEVELS, PSS_VERSION } from "./option-values.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const severitySchema = z.enum(SEVERITIES);
export const failOnSchema = z.enum(FAIL_ON_VALUES);
export const pssLevelSchema = z.enum(PSS_LEVELS);
export const pssVersionSchema = z
  .string()
  .regex(PSS_VERSION, { message: 'must be "latest" or "v1.N" (for example "v1.30")' });

/** A date as YAML gives it (a string, or a Date for an unquoted YYYY-MM-DD) → `YYYY-MM-DD`. */
const dateSchema = z.preprocess(
  (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
  z.string().regex(DATE, { message: "must be a date YYYY-MM-DD" }),
);

export const exemptionSchema = z
  .object({
    /** Check IDs (or aliases) this exemption covers; `*` covers every check. */
    checks: z.array(z.string().min(1)).min(1),
    /** Glob on the namespace (`*` and `?`); absent matches any. */
    namespace: z.string().min(1).optional(),
    kind: z.string().min(1).optional(),
    /** Glob on the resource name. */
    name: z.string().min(1).optional(),
    reason: z.string().min(1, { message: "an exemption needs a reason" }),
    until: dateSchema.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    pssLevel: pssLevelSchema.optional(),
    pssVersion: pssVersionSchema.optional(),
    failOn: failOnSchema.optional(),
    checks: z
      .object({
        /** Check IDs that do not run. */
        disabled: z.array(z.string().min(1)).optional(),
        /** Check ID → severity it is reported with. */
        severity: z.record(z.string().min(1), severitySchema).optional(),
      })
      .strict()
      .optional(),
    exemptions: z.array(exemptionSchema).optional(),
    /** Admission webhook modes and exemptions (used by the API's admission endpoint; the CLI ignores it). */
    admission: admissionSettingsSchema.optional(),
  })
  .strict();

export type KubeguardConfig = z.infer<typeof configSchema>;
export type Exemption = z.infer<typeof exemptionSchema>;

/** Turn zod issues into `path: message` lines a user can act on. */
export function describeConfigIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join(".") : "(top level)";
    if (issue.code === "unrecognized_keys")
      return `${where}: unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    return `${where}: ${issue.message}`;
  });
}

/** Validate an already-parsed config value. */
export function parseConfig(
  value: unknown,
): { ok: true; config: KubeguardConfig } | { ok: false; issues: string[] } {
  const result = configSchema.safeParse(value ?? {});
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, issues: describeConfigIssues(result.error) };
}
