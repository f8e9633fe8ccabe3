/**
 * Opaque pagination cursors: base64url of a small JSON value. Clients pass them back unchanged; a
 * cursor that does not decode is a 400 naming the `cursor` parameter.
 */
import { ApiProblem } from "./problem.ts";

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
}

/** Encodes a cursor value. */
export function encodeCursor(kind: string, value: unknown): string {
  return toBase64Url(JSON.stringify([kind, value]));
}

/**
 * Decodes a cursor of the given kind and checks its shape.
 * @throws {ApiProblem} 400 when the cursor is not one this API issued for this listing
 */
export function decodeCursor<T>(kind: string, cursor: string, check: (value: unknown) => value is T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(cursor));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 2 && parsed[0] === kind && check(parsed[1]))
    return parsed[1];
  throw new ApiProblem(
    "invalid-request",
    "Invalid query parameter: query.cursor: not a cursor of this listing.",
    {
      errors: [{ path: "query.cursor", message: "not a cursor of this listing" }],
    },
  );
}

/** The usual cursor value: the last item's time (epoch ms) and id, for `(time, id) < cursor` paging. */
export function isTimeIdCursor(v: unknown): v is [number, string] {
  return Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === "string";
}
