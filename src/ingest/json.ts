/**
 * JSON input: `JSON.parse` is the fastest parser there is, so JSON text goes through it, with the nesting
 * bound checked on the result. Positions are found lazily in the text (locate-text.ts).
 */
import type { Path } from "./types.ts";

/** Offset of the first character that is not whitespace or a byte order mark, or -1. */
export function firstContent(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) return i;
  }
  return -1;
}

/** Whether the text looks like JSON (an object or an array). YAML flow style looks alike; a failed parse falls back to YAML. */
export function looksLikeJson(text: string): boolean {
  const i = firstContent(text);
  if (i === -1) return false;
  const c = text.charCodeAt(i);
  return c === 123 || c === 91;
}

/**
 * The path of a value nested deeper than `maxDepth` collections (counting as the YAML parser does: a
 * scalar inside `maxDepth` collections is fine), or undefined.
 */
export function tooDeep(value: unknown, maxDepth: number): Path | undefined {
  const path: (string | number)[] = [];
  const max = maxDepth + 1;
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v !== "object" || v === null) return false;
    if (Array.isArray(v)) {
      if (v.length > 0 && depth + 1 > max) return true;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        if (walk(v[i], depth + 1)) return true;
        path.pop();
      }
      return false;
    }
    for (const k in v) {
      if (depth + 1 > max) return true;
      path.push(k);
      if (walk((v as Record<string, unknown>)[k], depth + 1)) return true;
      path.pop();
    }
    return false;
  };
  try {
    return walk(value, 1) ? path : undefined;
  } catch {
    return path;
  }
}
