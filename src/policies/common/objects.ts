/**
 * Defensive readers for parsed Kubernetes JSON, shared by policy modules. A wrong-typed field reads
 * as absent, so no check throws on odd input.
 */
import type { KObject } from "../../ingest/types.ts";

/** `v` when it is a plain JSON object (not null, not an array). */
export function asObject(v: unknown): KObject | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as KObject) : undefined;
}

/** `v` when it is an array, otherwise an empty array. */
export function asList(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `v` when it is a string, otherwise `undefined`. */
export function asString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** `v` when it is a non-empty string, otherwise `undefined`. */
export function asNonEmptyString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * The value at `path` below `obj`, or `undefined` when a step is missing or not a container.
 *
 * @example getIn({ spec: { a: [1] } }, ["spec", "a", 0]) // => 1
 */
export function getIn(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    if (Array.isArray(cur)) {
      if (typeof seg !== "number") return undefined;
      cur = cur[seg];
    } else {
      if (typeof seg !== "string") return undefined;
      cur = Object.hasOwn(cur, seg) ? (cur as KObject)[seg] : undefined;
    }
  }
  return cur;
}
