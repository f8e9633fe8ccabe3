/**
 * Kubernetes label selectors (`metav1.LabelSelector`: `matchLabels` and `matchExpressions` with
 * `In`, `NotIn`, `Exists`, `DoesNotExist`), parsed and matched as the API server does. Used by
 * NetworkPolicy `podSelector`, Cilium `endpointSelector` and RBAC `aggregationRule` resolution.
 *
 * A selector that the API server would reject (a non-string label value, an unknown operator,
 * `In` without values, `Exists` with values) parses as `undefined`; callers treat it as matching
 * nothing. Whether an absent selector means "everything" (NetworkPolicy `podSelector`) or "nothing"
 * (a nil `*LabelSelector`) is the caller's decision: `parseLabelSelector` is given the field's value.
 */
import { asList, asObject } from "./objects.ts";

export type SelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";

export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  /** Empty for `Exists` and `DoesNotExist`. */
  values: readonly string[];
}

/** A parsed selector: every requirement must hold. No requirements selects everything. */
export interface LabelSelector {
  requirements: readonly SelectorRequirement[];
}

/** The selector that selects everything (`{}`). */
export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) });

const OPERATORS: ReadonlySet<string> = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/**
 * Parse a `metav1.LabelSelector` object. `matchLabels` entries become `In` requirements with one value.
 * Returns `undefined` when `value` is not an object or the API server would reject its contents.
 *
 * @example parseLabelSelector({ matchLabels: { app: "web" } }) // => { requirements: [{ key: "app", operator: "In", values: ["web"] }] }
 */
export function parseLabelSelector(value: unknown): LabelSelector | undefined {
  const obj = asObject(value);
  if (!obj) return undefined;
  const requirements: SelectorRequirement[] = [];
  if (obj.matchLabels !== undefined && obj.matchLabels !== null) {
    const labels = asObject(obj.matchLabels);
    if (!labels) return undefined;
    for (const [key, v] of Object.entries(labels)) {
      if (typeof v !== "string" || key === "") return undefined;
      requirements.push({ key, operator: "In", values: [v] });
    }
  }
  if (obj.matchExpressions !== undefined && obj.matchExpressions !== null) {
    if (!Array.isArray(obj.matchExpressions)) return undefined;
    for (const entry of obj.matchExpressions) {
      const expr = asObject(entry);
      if (!expr) return undefined;
      const { key, operator } = expr;
      if (typeof key !== "string" || key === "" || typeof operator !== "string" || !OPERATORS.has(operator)) {
        return undefined;
      }
      if (expr.values !== undefined && expr.values !== null && !Array.isArray(expr.values)) return undefined;
      const raw = asList(expr.values);
      if (!raw.every((v): v is string => typeof v === "string")) return undefined;
      const op = operator as SelectorOperator;
      const needsValues = op === "In" || op === "NotIn";
      if (needsValues !== raw.length > 0) return undefined;
      requirements.push({ key, operator: op, values: raw });
    }
  }
  return { requirements };
}

/** Whether the selector has no requirements, so it selects every object. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return selector.requirements.length === 0;
}

/** Whether one requirement holds for a label set. */
export function requirementMatches(
  req: SelectorRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const has = Object.hasOwn(labels, req.key);
  switch (req.operator) {
    case "In":
      return has && req.values.includes(labels[req.key] as string);
    case "NotIn":
      return !has || !req.values.includes(labels[req.key] as string);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
  }
}

/**
 * Whether a label set satisfies every requirement of the selector. `undefined` (an invalid
 * selector) matches nothing.
 *
 * @example matchesLabels(parseLabelSelector({ matchLabels: { app: "web" } }), { app: "web", tier: "fe" }) // => true
 */
export function matchesLabels(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return false;
  for (const req of selector.requirements) if (!requirementMatches(req, labels)) return false;
  return true;
}

/** The string-valued entries of a labels object; non-string values are dropped (the API server rejects them). */
export function labelMap(value: unknown): Record<string, string> {
  const labels = asObject(value);
  const out: Record<string, string> = {};
  if (!labels) return out;
  for (const [k, v] of Object.entries(labels)) if (typeof v === "string") out[k] = v;
  return out;
}

/** The labels of an object (`metadata.labels`), string values only. */
export function labelsOf(obj: unknown): Record<string, string> {
  return labelMap(asObject(asObject(obj)?.metadata)?.labels);
}
