/**
 * Field paths as users read them: `spec.containers[0].securityContext.privileged`, with keys that are not
 * identifiers in brackets and JSON-quoted (`metadata.annotations["app.kubernetes.io/name"]`).
 */
import type { Path } from "./types.ts";

/** `^[A-Za-z_][A-Za-z0-9_]*$`, without a regular expression call (formatPath runs for every finding). */
function isIdentifier(seg: string): boolean {
  if (seg.length === 0) return false;
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (!letter && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}

/**
 * Formats a path for messages, findings and fingerprints.
 * @example formatPath(["spec", "containers", 0, "name"]) // "spec.containers[0].name"
 * @example formatPath(["metadata", "annotations", "a/b"]) // 'metadata.annotations["a/b"]'
 */
export function formatPath(path: Path): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (isIdentifier(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Parses what {@link formatPath} writes back into segments. Throws a `SyntaxError` on anything else.
 * @example parsePath('spec.containers[0]["a.b"]') // ["spec", "containers", 0, "a.b"]
 */
export function parsePath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(`invalid path ${JSON.stringify(text)} at ${i}: ${why}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "[") {
      if (text[i + 1] === '"') {
        let j = i + 2;
        while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
        if (j >= text.length || text[j + 1] !== "]") fail("unterminated quoted key");
        let key: unknown;
        try {
          key = JSON.parse(text.slice(i + 1, j + 1));
        } catch {
          fail("bad quoted key");
        }
        out.push(key as string);
        i = j + 2;
      } else {
        const close = text.indexOf("]", i);
        const digits = close === -1 ? "" : text.slice(i + 1, close);
        if (!/^(0|[1-9][0-9]*)$/.test(digits)) fail("expected an index");
        out.push(Number(digits));
        i = close + 1;
      }
    } else {
      if (out.length > 0) {
        if (c !== ".") fail("expected . or [");
        i++;
      }
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
      if (!m) fail("expected a key");
      out.push(m![0]);
      i += m![0].length;
    }
  }
  return out;
}
