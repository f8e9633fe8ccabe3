/**
 * Admission settings: the PSA-style modes (enforce, warn, audit) with levels and versions, per-namespace
 * overrides, exemptions, and optionally other kubeguard checks that deny at or above a severity.
 * Part of the tenant settings (the `admission` key of the `.kubeguard.yaml` schema).
 */
import { z } from "zod";
import { PSS_LEVELS, SEVERITIES } from "../policies/types.ts";
import { PSS_VERSION } from "../scan/option-values.ts";

const level = z.enum(PSS_LEVELS);
const version = z.string().regex(PSS_VERSION, { message: 'must be "latest" or "v1.N"' });

export const modePolicySchema = z.object({ level, version: version.default("latest") }).strict();

const modesSchema = z
  .object({
    enforce: modePolicySchema.optional(),
    warn: modePolicySchema.optional(),
    audit: modePolicySchema.optional(),
  })
  .strict();

export const admissionSettingsSchema = modesSchema
  .extend({
    /** Per-namespace overrides of the modes. */
    namespaces: z.record(z.string().min(1), modesSchema).optional(),
    /** PSA-style exemptions: requests from these users, in these namespaces, or with these runtime classes are allowed unevaluated. */
    exemptions: z
      .object({
        usernames: z.array(z.string().min(1)).optional(),
        namespaces: z.array(z.string().min(1)).optional(),
        runtimeClasses: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    /** Also deny when a kubeguard resource check finds something at or above this severity. */
    denySeverity: z.enum(SEVERITIES).optional(),
  })
  .strict();

export type AdmissionSettings = z.infer<typeof admissionSettingsSchema>;
export type ModePolicy = z.infer<typeof modePolicySchema>;

export const DEFAULT_MODES: Record<"enforce" | "warn" | "audit", ModePolicy> = {
  enforce: { level: "baseline", version: "latest" },
  warn: { level: "restricted", version: "latest" },
  audit: { level: "restricted", version: "latest" },
};

/** The three modes that apply in a namespace: namespace overrides, then tenant modes, then defaults. */
export function modesFor(settings: AdmissionSettings | undefined, namespace: string) {
  const ns = settings?.namespaces?.[namespace];
  return {
    enforce: ns?.enforce ?? settings?.enforce ?? DEFAULT_MODES.enforce,
    warn: ns?.warn ?? settings?.warn ?? DEFAULT_MODES.warn,
    audit: ns?.audit ?? settings?.audit ?? DEFAULT_MODES.audit,
  };
}
