/**
 * A fast path for the YAML that manifests are made of: block mappings and sequences of one-line plain
 * and quoted scalars, literal block scalars (`|`, `|-`, `|+`), and the empty flow collections `{}` and
 * `[]`. It builds exactly the value js-yaml builds with kubeSchema() (the differential tests in
 * block-yaml.test.ts hold it to that), in about 40% of js-yaml's time, because it reads whole lines with
 * local offsets instead of one character at a time through a general state machine. While it reads, it
 * records where every key and item is (PositionTable), so findings are located without the text.
 *
 * Anything else (anchors and aliases, tags, flow collections, folded or indented block scalars,
 * multi-line plain or quoted scalars, complex or merge keys, duplicate keys, `__proto__`, directives,
 * tabs, CR line ends, a byte order mark, non-printable characters, nesting near the depth bound, and
 * every malformed line) answers FALLBACK, and the document goes to js-yaml, which parses it under the
 * ingest bounds or reports the error with its position. So the fast path never decides an error.
 */
import { plainKey, resolvePlain } from "./schema.ts";

/** Returned when the document uses anything outside the fast path's subset. */
export const FALLBACK: unique symbol = Symbol("fallback");

const LF = 10;
const SPACE = 32;
const HASH = 35;
const DQUOTE = 34;
const SQUOTE = 39;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const QUESTION = 63;
const PIPE = 124;
const BRACE = 123;
const BRACE_END = 125;
const BRACKET = 91;
const BRACKET_END = 93;
const BACKSLASH = 92;

/** Thrown inside the parser to unwind to parseBlockYaml; never escapes it. */
class Fallback {}
const FALL = new Fallback();

/** js-yaml's test for characters a YAML stream may not contain. */
const NON_PRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: js-yaml's own pattern; control characters are what it finds.
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Any character but a line feed and printable ASCII: a text without one is eligible at once. */
const NOT_PLAIN_ASCII = /[^\n\x20-\x7E]/;

/** Whether the fast path may read this text at all: no tab, CR, byte order mark or non-printable character. */
function eligible(text: string): boolean {
  // One pass for the common case, printable ASCII lines (the quickest class to scan for). Only a text
  // with anything else pays for the exact tests.
  return (
    !NOT_PLAIN_ASCII.test(text) ||
    (text.indexOf("\t") === -1 &&
      text.indexOf("\r") === -1 &&
      text.indexOf("\uFEFF") === -1 &&
      !NON_PRINTABLE.test(text))
  );
}

/** The value of a plain scalar: null, a boolean, a number or the text itself. */
function plainValue(raw: string): unknown {
  const resolved = resolvePlain(raw);
  return resolved === undefined ? raw : resolved;
}

/**
 * Texts seen recently and what they resolved to, by a hash of their length and three characters.
 * Manifests repeat the same few hundred keys and many short values (`TCP`, `Always`, `true`, `100m`):
 * a hit costs a comparison instead of a new string (and, for a key, the engine's lookup of it when it
 * becomes a property name).
 */
class RecentTexts<T> {
  readonly #mask: number;
  readonly #raw: (string | undefined)[];
  readonly #resolved: T[];

  /** `size` is a power of two. */
  constructor(
    readonly resolve: (raw: string) => T,
    empty: T,
    size: number,
  ) {
    this.#mask = size - 1;
    this.#raw = new Array(size).fill(undefined);
    this.#resolved = new Array(size).fill(empty);
  }

  /** What `text[i, k)` resolves to. */
  get(text: string, i: number, k: number): T {
    const len = k - i;
    const h =
      (len * 31 + text.charCodeAt(i) * 7 + text.charCodeAt(i + (len >> 1)) * 3 + text.charCodeAt(k - 1)) &
      this.#mask;
    const raw = this.#raw[h];
    if (raw !== undefined && raw.length === len) {
      let j = 0;
      while (j < len && raw.charCodeAt(j) === text.charCodeAt(i + j)) j++;
      if (j === len) return this.#resolved[h]!;
    }
    const fresh = text.slice(i, k);
    const resolved = this.resolve(fresh);
    this.#raw[h] = fresh;
    this.#resolved[h] = resolved;
    return resolved;
  }
}

/**
 * What the fast path keeps per input: whether the text is eligible, the position table of the documents
 * it read, and the caches of recent keys and values. Per input, not per module, so nothing outlives
 * the input (a server scans one upload after another).
 */
export class BlockYamlInput {
  readonly eligible: boolean;
  readonly table: PositionTable;
  readonly keys: RecentTexts<string>;
  readonly values: RecentTexts<unknown>;

  constructor(readonly text: string) {
    this.eligible = eligible(text);
    this.table = new PositionTable(text.length);
    // Small inputs get small caches: a directory of many files must not allocate the full size each.
    let size = 64;
    while (size < 4096 && size < text.length >> 6) size <<= 1;
    this.keys = new RecentTexts<string>(plainKey, "", size);
    this.values = new RecentTexts<unknown>(plainValue, null, size);
  }
}

/** Values up to this length go through the value cache; longer ones are slices sharing the input's characters. */
const SHORT_VALUE = 12;

/** Where a key's colon is, and the key. */
let keyText = "";
let keyColon = -1;

/** What an entry's value is, in the position table. */
const SCALAR = 0; // also null, `{}` and `[]`: nothing with entries
const MAPPING = 1;
const SEQUENCE = 2;
/** A mapping with array-index keys ("0", "8080"): JavaScript enumerates those first, not in text order. */
const INDEXED_MAPPING = 3;

/** Whether a key is one JavaScript orders as an array index. */
function isIndexKey(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

/** Sequence items up to this index are found by following sibling links; later ones through an index. */
const SHORT_WALK = 16;

/** Returned by PositionTable.locate when the table cannot answer; the text locator decides then. */
export const UNKNOWN = -2;

/**
 * Where the entries (mapping keys and sequence items) of what the fast path read sit in the text, so a
 * field is located without reading the text again. Entries are in document order, so a collection's
 * entries start right after the entry that holds it, and each entry links to its next sibling. A
 * collection is named by a reference, `4 × first entry + kind`. Keys are not stored: a mapping's entries
 * are in the order of its object's own keys, which is text order unless a key is an array index. One
 * table serves every document of an input; offsets are into the whole input. Int32Arrays sized from the
 * input's length, so a large input seldom grows them.
 */
export class PositionTable {
  /** Per entry: its offset, its next sibling (0: none, as no entry follows the first), and what its value is. */
  offsets: Int32Array;
  next: Int32Array;
  kinds: Uint8Array;
  /** Entry 0 is never used, so 0 can mean "no sibling". */
  count = 1;

  constructor(textLength: number) {
    // About 25 bytes of YAML per entry in manifests; the first guess errs on the large side.
    const size = Math.max(256, textLength >> 4);
    this.offsets = new Int32Array(size);
    this.next = new Int32Array(size);
    this.kinds = new Uint8Array(size);
  }

  /** Appends an entry at `offset`, after sibling `prev` (-1: the first); returns its index. */
  push(offset: number, prev: number): number {
    const e = this.count;
    if (e === this.offsets.length) {
      // All three are built before any is replaced, so an exception here (a stack overflow under a
      // huge maxDepth) leaves the table as it was.
      const offsets = new Int32Array(2 * e);
      const next = new Int32Array(2 * e);
      const kinds = new Uint8Array(2 * e);
      offsets.set(this.offsets);
      next.set(this.next);
      kinds.set(this.kinds);
      this.offsets = offsets;
      this.next = next;
      this.kinds = kinds;
    }
    // `next` and `kinds` of a new entry are already 0 (no sibling, SCALAR): the arrays start zeroed,
    // and a document that falls back zeroes what it wrote.
    this.offsets[e] = offset;
    if (prev >= 0) this.next[prev] = e;
    this.count = e + 1;
    return e;
  }

  /** Entries of the long sequences looked into past SHORT_WALK items, by reference: one walk each. */
  #items = new Map<number, Int32Array>();

  /** Item `index` of the sequence `ref`, from its entry list (built on first use), or -1. */
  item(ref: number, index: number): number {
    let items = this.#items.get(ref);
    if (!items) {
      const found: number[] = [];
      for (let e = ref >> 2; e > 0; e = this.next[e]!) found.push(e);
      items = Int32Array.from(found);
      this.#items.set(ref, items);
    }
    return index < items.length ? items[index]! : -1;
  }

  /** Drops the entries from `first` on (a document that fell back), zeroing them for reuse. */
  forget(first: number): void {
    this.#items.clear();
    this.next.fill(0, first, this.count);
    this.kinds.fill(0, first, this.count);
    // A sibling link into the dropped entries would come from them too: earlier ones are complete.
    this.count = first;
  }

  /** The collection entry `e` holds, as a reference; or -1 when its value has no entries. */
  valueOf(e: number): number {
    const kind = this.kinds[e]!;
    return kind === SCALAR ? -1 : 4 * (e + 1) + kind;
  }

  /**
   * The entry `seg` of the collection `ref`, whose parsed value is `value`: -1 when it has none,
   * UNKNOWN when the table cannot tell.
   */
  entry(ref: number, seg: string | number, value: unknown): number {
    if (ref < 0) return -1;
    const kind = ref & 3;
    const { next } = this;
    let e = ref >> 2;
    if (kind === SEQUENCE) {
      if (typeof seg !== "number") return -1;
      if (seg >= SHORT_WALK) return this.item(ref, seg);
      for (let n = seg; n > 0 && e > 0; n--) e = next[e]!;
      return e > 0 ? e : -1;
    }
    if (kind !== MAPPING || typeof value !== "object" || value === null) return UNKNOWN;
    const key = typeof seg === "string" ? seg : String(seg);
    for (const k in value) {
      if (e <= 0) return UNKNOWN;
      if (k === key) return e;
      e = next[e]!;
    }
    return -1;
  }

  /**
   * Offset of the deepest entry that exists on `path` from the collection `ref` (whose parsed value is
   * `value`); `at`, the collection's own offset, when not even the first does. UNKNOWN when the table
   * cannot tell.
   */
  locate(ref: number, at: number, path: readonly (string | number)[], value: unknown): number {
    let c = ref;
    let v = value;
    let best = at;
    for (let i = 0; i < path.length && c >= 0; i++) {
      const seg = path[i]!;
      const e = this.entry(c, seg, v);
      if (e === UNKNOWN) return UNKNOWN;
      if (e < 0) break;
      best = this.offsets[e]!;
      c = this.valueOf(e);
      v = (v as Record<string | number, unknown>)[seg];
    }
    return best;
  }
}

class BlockParser {
  /** Start of the line the parser stands on (the next line not yet consumed). */
  pos: number;
  depth = 0;
  /** What the node read last is (SCALAR, MAPPING, SEQUENCE or INDEXED_MAPPING). */
  lastKind = SCALAR;

  constructor(
    readonly text: string,
    readonly end: number,
    readonly maxDepth: number,
    readonly table: PositionTable,
    readonly keys: RecentTexts<string>,
    readonly values: RecentTexts<unknown>,
  ) {
    this.pos = end;
  }

  lineEnd(from: number): number {
    const i = this.text.indexOf("\n", from);
    return i === -1 || i > this.end ? this.end : i;
  }

  /** Indent of the line nextContent found last. */
  indent = 0;

  /**
   * From the line start `from`, skips blank and comment lines; returns the start of the first line with
   * content (its indent in `this.indent`), or -1 at the end of the document. A `---` or `...` line inside
   * the document falls back, unless `marker` allows the document's own `---`.
   */
  nextContent(from: number, marker = false): number {
    // A scalar looks ahead to the next line, and its mapping then asks again from the same place.
    if (from === this.askedFrom && !marker) {
      this.indent = this.answerIndent;
      return this.answer;
    }
    const { text, end } = this;
    let line = from;
    while (line < end) {
      let i = line;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      const c = i < end ? text.charCodeAt(i) : LF;
      if (c === LF) {
        line = i + 1;
        continue;
      }
      if (c === HASH) {
        line = this.lineEnd(i) + 1;
        continue;
      }
      // Three dashes or dots at column 0: a marker, or text js-yaml treats specially (it drops a
      // leading `---` of the first line whatever follows). Only the document's own marker is read here.
      if (
        i === line &&
        (c === DASH || c === DOT) &&
        text.charCodeAt(i + 1) === c &&
        text.charCodeAt(i + 2) === c &&
        !(marker && c === DASH && this.isMarker(i, c))
      )
        throw FALL;
      this.indent = i - line;
      this.askedFrom = marker ? -1 : from;
      this.answer = line;
      this.answerIndent = this.indent;
      return line;
    }
    this.askedFrom = from;
    this.answer = -1;
    this.answerIndent = this.indent;
    return -1;
  }

  /** The last question nextContent answered (the marker case never is: it throws or is the first line). */
  askedFrom = -1;
  answer = -1;
  answerIndent = 0;

  isMarker(at: number, c: number): boolean {
    const { text } = this;
    if (text.charCodeAt(at + 1) !== c || text.charCodeAt(at + 2) !== c) return false;
    const n = at + 3 < this.end ? text.charCodeAt(at + 3) : LF;
    return n === SPACE || n === LF;
  }

  /** Whether the line has a sequence entry (`-` then a blank or the line end) at `at`. */
  isEntry(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const n = at + 1 < this.end ? this.text.charCodeAt(at + 1) : LF;
    return n === SPACE || n === LF;
  }

  /** The character at `i`, or LF at the document's end. */
  at(i: number): number {
    return i < this.end ? this.text.charCodeAt(i) : LF;
  }

  /** Skips spaces from `i`; then only a comment (after a space) or the line end may follow. Returns the next line's start. */
  restOfLine(i: number): number {
    let j = i;
    while (this.at(j) === SPACE) j++;
    const c = this.at(j);
    if (c === LF) return j + 1;
    if (c === HASH && j > i) return this.lineEnd(j) + 1;
    throw FALL;
  }

  document(from: number): unknown {
    const { text } = this;
    let line = this.nextContent(from, true);
    if (line !== -1 && this.indent === 0) {
      const c = text.charCodeAt(line);
      if (c === 37 /* % */) throw FALL;
      // The document's own `---`, with at most a comment after it.
      if (c === DASH && this.isMarker(line, DASH)) line = this.nextContent(this.restOfLine(line + 3));
    }
    if (line === -1) throw FALL;
    const value = this.block(line, this.indent);
    if (this.nextContent(this.pos) !== -1) throw FALL;
    return value;
  }

  /** A block node whose first line starts at `line` with content at column `indent`. */
  block(line: number, indent: number): unknown {
    if (++this.depth >= this.maxDepth) throw FALL;
    const at = line + indent;
    const value = this.isEntry(at) ? this.sequence(line, indent) : this.mapping(at, indent);
    this.depth--;
    return value;
  }

  /** A block mapping at column `indent` whose first key starts at `at` (mid-line in a compact `- key:`). */
  mapping(at: number, indent: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const { table } = this;
    let kind = MAPPING;
    let prev = -1;
    let keyAt = at;
    for (;;) {
      if (!this.key(keyAt)) throw FALL;
      const key = keyText;
      if (key === "__proto__" || key === "<<" || Object.hasOwn(obj, key)) throw FALL;
      const e = table.push(keyAt, prev);
      prev = e;
      if (kind === MAPPING && isIndexKey(key)) kind = INDEXED_MAPPING;
      this.lastKind = SCALAR;
      let i = keyColon + 1;
      while (this.at(i) === SPACE) i++;
      const c = this.at(i);
      if (c === LF || (c === HASH && i > keyColon + 1)) {
        const next = this.nextContent(this.lineEnd(i) + 1);
        if (next === -1 || this.indent < indent) {
          obj[key] = null;
          this.pos = next === -1 ? this.end : next;
        } else if (this.indent > indent) {
          obj[key] = this.block(next, this.indent);
        } else if (this.isEntry(next + indent)) {
          // A sequence may sit at its key's own column.
          if (++this.depth >= this.maxDepth) throw FALL;
          obj[key] = this.sequence(next, indent);
          this.depth--;
        } else {
          obj[key] = null;
          this.pos = next;
        }
      } else {
        obj[key] = this.scalar(i, indent);
      }
      table.kinds[e] = this.lastKind;
      const next = this.nextContent(this.pos);
      if (next === -1 || this.indent < indent) {
        this.lastKind = kind;
        return obj;
      }
      if (this.indent > indent) throw FALL;
      keyAt = next + indent;
      if (this.isEntry(keyAt)) throw FALL;
    }
  }

  /** A block sequence whose entries' dashes are at column `indent`; `line` starts the first entry's line. */
  sequence(line: number, indent: number): unknown[] {
    const list: unknown[] = [];
    const { table } = this;
    let prev = -1;
    let entry = line;
    for (;;) {
      let i = entry + indent + 1;
      while (this.at(i) === SPACE) i++;
      const c = this.at(i);
      const e = table.push(i, prev);
      prev = e;
      this.lastKind = SCALAR;
      if (c === LF || (c === HASH && i > entry + indent + 1)) {
        const next = this.nextContent(this.lineEnd(i) + 1);
        if (next !== -1 && this.indent > indent) {
          table.offsets[e] = next + this.indent;
          list.push(this.block(next, this.indent));
        } else if (next !== -1 && this.indent < indent && this.isEntry(next + this.indent)) {
          // After an empty item js-yaml takes any `-` line as this sequence's next item, whatever its
          // indentation: leave that to it.
          throw FALL;
        } else {
          list.push(null);
          this.pos = next === -1 ? this.end : next;
        }
      } else if (c === DASH && this.isEntry(i)) {
        throw FALL;
      } else if (this.key(i)) {
        // `- key: value`: a mapping whose column is the key's.
        if (++this.depth >= this.maxDepth) throw FALL;
        list.push(this.mapping(i, i - entry));
        this.depth--;
      } else {
        list.push(this.scalar(i, indent));
      }
      table.kinds[e] = this.lastKind;
      const next = this.nextContent(this.pos);
      if (next === -1 || this.indent < indent || !this.isEntry(next + indent)) {
        if (next !== -1 && this.indent > indent) throw FALL;
        this.lastKind = SEQUENCE;
        return list;
      }
      entry = next;
    }
  }

  /**
   * Reads a mapping key at `i` (plain or quoted, on one line) up to its `:`; sets keyText and keyColon.
   * False when the line holds no key there (a scalar sequence entry); throws on what the fast path skips.
   */
  key(i: number): boolean {
    const { text } = this;
    const c = text.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const value = c === DQUOTE ? this.doubleQuoted(i) : this.singleQuoted(i);
      let j = this.quoteEnd;
      while (this.at(j) === SPACE) j++;
      if (this.at(j) !== COLON) return false;
      const n = this.at(j + 1);
      if (n !== SPACE && n !== LF) throw FALL;
      keyText = value;
      keyColon = j;
      return true;
    }
    if (!plainStart(c, this.at(i + 1))) return false;
    const end = this.end;
    for (let j = i + 1; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === LF) return false;
      if (d === HASH && text.charCodeAt(j - 1) === SPACE) return false;
      if (d !== COLON) continue;
      const n = j + 1 < end ? text.charCodeAt(j + 1) : LF;
      if (n !== SPACE && n !== LF) continue;
      let k = j;
      while (text.charCodeAt(k - 1) === SPACE) k--;
      keyText = this.keys.get(text, i, k);
      keyColon = j;
      return true;
    }
    return false;
  }

  /** A scalar on one line starting at `i`, inside a node at column `indent`. Sets this.pos past it. */
  scalar(i: number, indent: number): unknown {
    const { text } = this;
    const c = text.charCodeAt(i);
    let value: unknown;
    let next: number;
    if (c === DQUOTE || c === SQUOTE) {
      value = c === DQUOTE ? this.doubleQuoted(i) : this.singleQuoted(i);
      next = this.restOfLine(this.quoteEnd);
    } else if (c === PIPE) {
      return this.literal(i, indent);
    } else if (c === BRACE || c === BRACKET) {
      if (text.charCodeAt(i + 1) !== (c === BRACE ? BRACE_END : BRACKET_END)) throw FALL;
      value = c === BRACE ? {} : [];
      next = this.restOfLine(i + 2);
    } else {
      if (!plainStart(c, this.at(i + 1))) throw FALL;
      const end = this.end;
      // Up to a comment or the line end; `: ` inside is a second mapping value on the line, an error.
      let j = i + 1;
      let last = i;
      for (; j < end; j++) {
        const d = text.charCodeAt(j);
        if (d === LF) break;
        if (d === SPACE) continue;
        if (d === HASH && text.charCodeAt(j - 1) === SPACE) {
          j = this.lineEnd(j);
          break;
        }
        if (d === COLON) {
          const n = j + 1 < end ? text.charCodeAt(j + 1) : LF;
          if (n === SPACE || n === LF) throw FALL;
        }
        last = j;
      }
      const k = last + 1;
      const lineEnd = j;
      value = k - i <= SHORT_VALUE ? this.values.get(text, i, k) : plainValue(text.slice(i, k));
      next = lineEnd + 1;
    }
    // A more indented line after a one-line scalar continues it (or is an error): js-yaml's business.
    const after = this.nextContent(next);
    if (after !== -1 && this.indent > indent) throw FALL;
    this.pos = after === -1 ? this.end : after;
    return value;
  }

  /** Offset just past the closing quote of the last quoted scalar read. */
  quoteEnd = 0;

  singleQuoted(i: number): string {
    const { text } = this;
    const lineEnd = this.lineEnd(i);
    let out = "";
    let from = i + 1;
    for (;;) {
      const q = text.indexOf("'", from);
      if (q === -1 || q >= lineEnd) throw FALL;
      if (text.charCodeAt(q + 1) === SQUOTE && q + 1 < lineEnd) {
        out += text.slice(from, q + 1);
        from = q + 2;
        continue;
      }
      this.quoteEnd = q + 1;
      return out + text.slice(from, q);
    }
  }

  doubleQuoted(i: number): string {
    const { text } = this;
    const lineEnd = this.lineEnd(i);
    let out = "";
    let from = i + 1;
    for (let j = from; ; j++) {
      if (j >= lineEnd) throw FALL;
      const c = text.charCodeAt(j);
      if (c === DQUOTE) {
        this.quoteEnd = j + 1;
        return out + text.slice(from, j);
      }
      if (c !== BACKSLASH) continue;
      out += text.slice(from, j);
      const e = text.charCodeAt(j + 1);
      const simple = ESCAPES[e];
      if (j + 1 < lineEnd && simple !== undefined) {
        out += simple;
        j++;
      } else if (e === 120 /* x */ || e === 117 /* u */ || e === 85 /* U */) {
        const len = e === 120 ? 2 : e === 117 ? 4 : 8;
        const hex = text.slice(j + 2, j + 2 + len);
        if (j + 2 + len > lineEnd || !/^[0-9a-fA-F]+$/.test(hex)) throw FALL;
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) throw FALL;
        out += String.fromCodePoint(code);
        j += 1 + len;
      } else throw FALL;
      from = j + 1;
    }
  }

  /** A literal block scalar (`|`, `|-`, `|+`) whose header is at `i`, in a node at column `indent`; js-yaml's rules. */
  literal(i: number, indent: number): string {
    const { text, end } = this;
    let j = i + 1;
    let chomp = 0; // 0 clip, 1 keep, -1 strip
    const h = this.at(j);
    if (h === 43 /* + */ || h === DASH) {
      chomp = h === DASH ? -1 : 1;
      j++;
    }
    let line = this.restOfLine(j);
    let textIndent = indent + 1;
    let detected = false;
    let emptyLines = 0;
    let read = false;
    let out = "";
    while (line < end) {
      let k = line;
      while (k < end && text.charCodeAt(k) === SPACE && (!detected || k - line < textIndent)) k++;
      const lineIndent = k - line;
      if (!detected && lineIndent > textIndent) textIndent = lineIndent;
      const c = k < end ? text.charCodeAt(k) : LF;
      if (c === LF) {
        emptyLines++;
        line = k + 1;
        continue;
      }
      if (lineIndent < textIndent) break;
      out += "\n".repeat(read ? 1 + emptyLines : emptyLines);
      read = true;
      detected = true;
      emptyLines = 0;
      const e = this.lineEnd(k);
      out += text.slice(k, e);
      line = e + 1;
    }
    if (chomp === 1) out += "\n".repeat(read ? 1 + emptyLines : emptyLines);
    else if (chomp === 0 && read) out += "\n";
    // What ends the scalar must be a line of its parent or an ancestor.
    const after = line < end ? this.nextContent(line) : -1;
    if (after !== -1 && this.indent > indent) throw FALL;
    this.pos = after === -1 ? end : after;
    return out;
  }
}

/** js-yaml's one-character escapes in double-quoted scalars. */
const ESCAPES: (string | undefined)[] = [];
for (const [c, v] of [
  ["0", "\x00"],
  ["a", "\x07"],
  ["b", "\x08"],
  ["t", "\t"],
  ["n", "\n"],
  ["v", "\x0B"],
  ["f", "\x0C"],
  ["r", "\r"],
  ["e", "\x1B"],
  [" ", " "],
  ['"', '"'],
  ["/", "/"],
  ["\\", "\\"],
  ["N", "\x85"],
  ["_", "\xA0"],
  ["L", "\u2028"],
  ["P", "\u2029"],
] as const)
  ESCAPES[c.charCodeAt(0)] = v;

/**
 * Whether a plain scalar may start with `c` (followed by `n`) in block context, and the fast path reads
 * it: not an indicator (`- ? :` only when a non-blank follows).
 */
function plainStart(c: number, n: number): boolean {
  if (c === DASH || c === QUESTION || c === COLON) return n !== SPACE && n !== LF;
  // # & * ! | > ' " % @ ` , [ ] { }
  return !(
    c === HASH ||
    c === 38 ||
    c === 42 ||
    c === 33 ||
    c === PIPE ||
    c === 62 ||
    c === SQUOTE ||
    c === DQUOTE ||
    c === 37 ||
    c === 64 ||
    c === 96 ||
    c === 44 ||
    c === BRACKET ||
    c === BRACKET_END ||
    c === BRACE ||
    c === BRACE_END ||
    c === SPACE ||
    c === LF
  );
}

/** A document the fast path read: its value, and its root collection in the table (a reference). */
export interface BlockDocument {
  value: unknown;
  root: number;
}

/**
 * Parses the document `text[start, end)` when it stays inside the fast path's subset, recording where
 * its entries are in the input's table; FALLBACK otherwise (and the table is as before). Nesting at or
 * beyond `maxDepth` falls back, so js-yaml applies the bound and its message. `input` is the state kept
 * for every document of one input text.
 */
export function parseBlockYaml(
  text: string,
  start: number,
  end: number,
  maxDepth: number,
  input: BlockYamlInput = new BlockYamlInput(text),
): BlockDocument | typeof FALLBACK {
  if (!input.eligible) return FALLBACK;
  const { table } = input;
  const first = table.count;
  try {
    const parser = new BlockParser(text, end, maxDepth, table, input.keys, input.values);
    const value = parser.document(start);
    return { value, root: 4 * first + parser.lastKind };
  } catch (err) {
    // A RangeError is a stack overflow under a very large maxDepth: js-yaml reports that bound.
    if (err !== FALL && !(err instanceof RangeError)) throw err;
    // Forget what the document recorded.
    table.forget(first);
    return FALLBACK;
  }
}
