/**
 * Message helpers shared by the PSS checks: the library's pluralize, joinQuote and setter phrasing,
 * Go's byte-order string sort, and Go's `%q` quoting. Messages must match the library byte for byte,
 * because users compare them with `kubectl` warnings.
 */

/** `singular` when `n` is 1, otherwise `plural` (the library's `pluralize`). */
export function pluralize(singular: string, plural: string, n: number): string {
  return n === 1 ? singular : plural;
}

/**
 * Each item wrapped in double quotes, joined with `", "` (the library's `joinQuote`).
 * Items are not escaped: an item that holds quotes is wrapped as it is.
 *
 * @example joinQuote(["a", "b"]) // => "\"a\", \"b\""
 */
export function joinQuote(items: readonly string[]): string {
  let out = "";
  for (let i = 0; i < items.length; i++) {
    out += i === 0 ? `"${items[i]}"` : `, "${items[i]}"`;
  }
  return out;
}

/**
 * Compares two strings in the byte order of their UTF-8 encodings, which is Go's string order.
 * JavaScript's default order compares UTF-16 code units and differs only when a surrogate pair
 * meets a code unit in U+E000–U+FFFF, so that one case is remapped.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates encode code points above U+FFFF, which sort after U+E000–U+FFFF in UTF-8.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** The distinct values in Go's string order (the library's `sets.String.List()`). */
export function sortedSet(values: readonly string[]): string[] {
  if (values.length <= 1) return values.slice();
  return Array.from(new Set(values)).sort(compareUtf8);
}

/**
 * The library's setter phrase: `pod` when the pod level is bad, then `container(s) "a", "b"`,
 * joined with `" and "`. Returns the empty string when nothing is bad.
 */
export function setters(pod: boolean, containers: readonly string[]): string {
  const parts = containerList(containers);
  if (!pod) return parts;
  return parts === "" ? "pod" : `pod and ${parts}`;
}

/** `container "a"` or `containers "a", "b"`; empty string for an empty list. */
export function containerList(containers: readonly string[]): string {
  if (containers.length === 0) return "";
  return `${pluralize("container", "containers", containers.length)} ${joinQuote(containers)}`;
}

const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
// Go's unicode.IsPrint, for code points above ASCII: letters, marks, numbers, punctuation, symbols.
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const HEX = "0123456789abcdef";

function hex(cp: number, digits: number): string {
  let out = "";
  for (let s = (digits - 1) * 4; s >= 0; s -= 4) out += HEX[(cp >> s) & 0xf];
  return out;
}

/**
 * Quotes a string as Go's `%q` (strconv.Quote) does: printable text as is, `\"` and `\\`, the short
 * escapes `\a \b \f \n \r \t \v`, `\xNN` for other ASCII controls, `\uNNNN` / `\UNNNNNNNN` for
 * non-printable code points. A lone surrogate becomes U+FFFD, as Go's JSON decoder makes it.
 * Printability of non-ASCII follows this engine's Unicode tables, which may differ from Go's for
 * code points assigned in a newer Unicode version.
 *
 * @example goQuote('a"b\n') // => "\"a\\\"b\\n\""
 */
export function goQuote(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    let cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x22) out += '\\"';
    else if (cp === 0x5c) out += "\\\\";
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x80) {
      switch (cp) {
        case 0x07:
          out += "\\a";
          break;
        case 0x08:
          out += "\\b";
          break;
        case 0x0c:
          out += "\\f";
          break;
        case 0x0a:
          out += "\\n";
          break;
        case 0x0d:
          out += "\\r";
          break;
        case 0x09:
          out += "\\t";
          break;
        case 0x0b:
          out += "\\v";
          break;
        default:
          out += `\\x${hex(cp, 2)}`;
      }
    } else {
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      const c = String.fromCodePoint(cp);
      if (GO_PRINTABLE.test(c)) out += c;
      else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
      else out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}
