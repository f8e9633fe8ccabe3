/**
 * The exemption annotations on an object: `kubeguard.dev/exempt: "<check-id>[,<check-id>…]"`, with a
 * required `kubeguard.dev/exempt-reason` and an optional `kubeguard.dev/exempt-until: YYYY-MM-DD`.
 * Shared by the engine (which applies valid ones) and the check that reports invalid ones.
 */
import type { KObject } from "../../ingest/types.ts";

export const EXEMPT = "kubeguard.dev/exempt";
export const EXEMPT_REASON = "kubeguard.dev/exempt-reason";
export const EXEMPT_UNTIL = "kubeguard.dev/exempt-until";

export interface AnnotationExemption {
  checks: string[];
  reason?: string;
  until?: string;
  /** Why the exemption does not apply; absent when it is valid at `now`. */
  invalid?: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD date that names a real day; the exemption holds through the end of that day (UTC). */
export function exemptionExpired(until: string, now: Date): boolean {
  return now.getTime() >= Date.parse(`${until}T00:00:00Z`) + 86_400_000;
}

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Read the exemption annotations of an object, if it has `kubeguard.dev/exempt`. */
export function readExemptionAnnotation(object: KObject, now: Date): AnnotationExemption | undefined {
  const metadata = object.metadata;
  if (!metadata || typeof metadata !== "object") return undefined;
  const annotations = (metadata as KObject).annotations;
  if (!annotations || typeof annotations !== "object") return undefined;
  const a = annotations as Record<string, unknown>;
  const raw = a[EXEMPT];
  if (raw === undefined) return undefined;
  const checks =
    typeof raw === "string"
      ? raw
          .split(",")
          .map((c) => c.trim())
          .filter(Boolean)
      : [];
  const reason = typeof a[EXEMPT_REASON] === "string" ? (a[EXEMPT_REASON] as string).trim() : "";
  const untilRaw = a[EXEMPT_UNTIL];
  const until = typeof untilRaw === "string" ? untilRaw.trim() : undefined;
  const out: AnnotationExemption = { checks, ...(reason ? { reason } : {}), ...(until ? { until } : {}) };
  if (checks.length === 0) out.invalid = `${EXEMPT} names no check`;
  else if (!reason) out.invalid = `${EXEMPT} needs a non-empty ${EXEMPT_REASON}`;
  else if (untilRaw !== undefined && (until === undefined || !validDate(until)))
    out.invalid = `${EXEMPT_UNTIL} must be a date YYYY-MM-DD`;
  else if (until && exemptionExpired(until, now)) out.invalid = `the exemption expired on ${until}`;
  return out;
}
