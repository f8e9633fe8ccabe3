/**
 * Small helpers on parsed values, shared by the readers and the pod checks, so every message names a
 * value's type the same way.
 */
import type { KObject } from "./types.ts";

/** Whether a value is a mapping (a plain object, not a list). */
export function isMapping(v: unknown): v is KObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A value's type as messages name it: `a string`, `an integer`, `a list`, `a mapping`, `null`… */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  switch (typeof v) {
    case "string":
      return "a string";
    case "number":
      return Number.isInteger(v) ? "an integer" : "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "a mapping";
    default:
      return `a ${typeof v}`;
  }
}
