/**
 * Finds the position of a field in YAML or JSON text without parsing the document: it walks down the
 * path by indentation (block style) or by brackets (flow style and JSON), reading only the lines of the
 * mappings and sequences on the way. Used lazily, only for fields a finding or an error points at.
 *
 * It answers for the shapes manifests come in. Anything it does not model exactly (explicit `?` keys,
 * properties on keys or sequence items, tabs in indentation, keys it cannot decode) makes it return
 * `UNSURE`, and the caller asks the `yaml` package instead (see locate-ast.ts). A property test holds it
 * to the `yaml` package's positions.
 */

import { plainKey } from "./schema.ts";
import type { Path } from "./types.ts";

/** The indexer cannot answer this path with certainty; use the AST locator. */
export const UNSURE = -2;
const NONE = -1;
const TABBED = -3;

const SP = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const COMMA = 44;
const DQ = 34;
const SQ = 39;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const AMP = 38;
const BANG = 33;
const STAR = 42;
const QUESTION = 63;
const PIPE = 124;
const GT = 62;
const PERCENT = 37;
const AT = 64;
const BACKTICK = 96;

/** A mapping entry or sequence item found: where its key (or the item) starts, and where its value starts. */
interface Found {
  key: number;
  /** Offset of the value node, or NONE when the value is empty. */
  value: number;
}

function isBlank(c: number): boolean {
  return c === SP || c === TAB || c === LF || c === CR || Number.isNaN(c);
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

function lineStartOf(t: string, p: number): number {
  const ls = p === 0 ? 0 : t.lastIndexOf("\n", p - 1) + 1;
  // A byte order mark is not indentation.
  return ls === 0 && t.charCodeAt(0) === 0xfeff ? 1 : ls;
}

function nextLine(t: string, p: number): number {
  const i = t.indexOf("\n", p);
  return i === -1 ? t.length : i + 1;
}

/** First content offset on the line starting at `ls`; NONE for a blank or comment line; TABBED for tab indentation. */
function lineContent(t: string, ls: number, end: number): number {
  let i = ls;
  while (i < end && t.charCodeAt(i) === SP) i++;
  if (i >= end) return NONE;
  const c = t.charCodeAt(i);
  if (c === LF || c === CR || c === HASH) return NONE;
  if (c === TAB) {
    let j = i;
    while (j < end && (t.charCodeAt(j) === TAB || t.charCodeAt(j) === SP)) j++;
    const d = t.charCodeAt(j);
    if (j >= end || d === LF || d === CR || d === HASH) return NONE;
    return TABBED;
  }
  return i;
}

// Start of the line nextContentLine last found content on: saves a backwards search per line.
let foundLineStart = 0;

/** First content offset on a line after the one holding `p`, or NONE / TABBED. Sets `foundLineStart`. */
function nextContentLine(t: string, p: number, end: number): number {
  let ls = nextLine(t, p);
  while (ls < end) {
    const f = lineContent(t, ls, end);
    if (f !== NONE) {
      foundLineStart = ls;
      return f;
    }
    ls = nextLine(t, ls);
  }
  return NONE;
}

function skipInlineSpace(t: string, p: number, end: number): number {
  let i = p;
  while (i < end) {
    const c = t.charCodeAt(i);
    if (c === SP || c === TAB) i++;
    else break;
  }
  return i;
}

function isSeqDash(t: string, p: number, end: number): boolean {
  return t.charCodeAt(p) === DASH && (p + 1 >= end || isBlank(t.charCodeAt(p + 1)));
}

/** Skips `&anchor` and `!tag` properties (and the space after them). */
function skipProperties(t: string, p: number, end: number): number {
  let i = p;
  for (;;) {
    const c = t.charCodeAt(i);
    if (i >= end || (c !== AMP && c !== BANG)) return i;
    while (i < end && !isBlank(t.charCodeAt(i))) i++;
    i = skipInlineSpace(t, i, end);
  }
}

/** Offset of the closing `"` of a double-quoted scalar opened at `p`, or UNSURE. */
function closeDouble(t: string, p: number, end: number): number {
  let i = p + 1;
  for (;;) {
    const j = t.indexOf('"', i);
    if (j === -1 || j >= end) return UNSURE;
    let k = j - 1;
    while (t.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    i = j + 1;
  }
}

/** Offset of the closing `'` of a single-quoted scalar opened at `p`, or UNSURE. */
function closeSingle(t: string, p: number, end: number): number {
  let i = p + 1;
  for (;;) {
    const j = t.indexOf("'", i);
    if (j === -1 || j >= end) return UNSURE;
    if (t.charCodeAt(j + 1) === SQ) {
      i = j + 2;
      continue;
    }
    return j;
  }
}

/** The key a quoted scalar `t[p..q]` (quotes included) stands for, or null when it cannot be decoded here. */
function quotedKey(t: string, p: number, q: number): string | null {
  const raw = t.slice(p + 1, q);
  if (raw.includes("\n")) return null;
  if (t.charCodeAt(p) === SQ) return raw.includes("''") ? raw.replaceAll("''", "'") : raw;
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(t.slice(p, q + 1)) as string;
  } catch {
    return null;
  }
}

/** A key of a block mapping at `p`: its text (null if undecodable), whether it is a merge key, and the offset after `:`. */
interface BlockKey {
  key: string | null;
  merge: boolean;
  after: number;
}

const NOT_A_KEY = 0;

/** Reads a block-mapping key on the line at `p`; NOT_A_KEY when the line holds no `key:`; UNSURE for odd keys. */
function readBlockKey(t: string, p: number, end: number): BlockKey | typeof NOT_A_KEY | typeof UNSURE {
  const c = t.charCodeAt(p);
  let lineEnd = t.indexOf("\n", p);
  if (lineEnd === -1 || lineEnd > end) lineEnd = end;
  if (c === DQ || c === SQ) {
    const q = c === DQ ? closeDouble(t, p, lineEnd) : closeSingle(t, p, lineEnd);
    if (q < 0) return NOT_A_KEY;
    const r = skipInlineSpace(t, q + 1, lineEnd);
    if (t.charCodeAt(r) !== COLON) return NOT_A_KEY;
    return { key: quotedKey(t, p, q), merge: false, after: r + 1 };
  }
  if (
    c === QUESTION ||
    c === AMP ||
    c === BANG ||
    c === STAR ||
    c === LBRACE ||
    c === LBRACKET ||
    c === PIPE ||
    c === GT ||
    c === PERCENT ||
    c === AT ||
    c === BACKTICK
  ) {
    return UNSURE;
  }
  for (let i = p; i < lineEnd; i++) {
    const ch = t.charCodeAt(i);
    if (ch === COLON) {
      if (i + 1 >= lineEnd || isBlank(t.charCodeAt(i + 1))) {
        let e = i;
        while (e > p && (t.charCodeAt(e - 1) === SP || t.charCodeAt(e - 1) === TAB)) e--;
        const text = t.slice(p, e);
        return { key: plainKey(text), merge: text === "<<", after: i + 1 };
      }
    } else if (ch === HASH && i > p && (t.charCodeAt(i - 1) === SP || t.charCodeAt(i - 1) === TAB)) {
      return NOT_A_KEY;
    }
  }
  return NOT_A_KEY;
}

/**
 * The value node after a block `key:` (or `-`) at `p`, owned by an entry at column `indent`. A block
 * sequence may sit at the key's own column (`compact`). NONE for an empty value.
 */
function blockValue(t: string, p: number, end: number, indent: number, compact: boolean): number {
  let i = skipProperties(t, skipInlineSpace(t, p, end), end);
  const c = t.charCodeAt(i);
  if (i < end && c !== LF && c !== CR && c !== HASH) return i;
  i = nextContentLine(t, i, end);
  if (i === NONE) return NONE;
  if (i === TABBED) return UNSURE;
  const col = i - foundLineStart;
  if (col > indent) return i;
  if (col === indent && compact && isSeqDash(t, i, end)) return i;
  return NONE;
}

/** After a value that starts at `p`: the offset from which to look for the next line (past multi-line quotes and flows). */
function pastInlineValue(t: string, p: number, end: number, json: boolean): number {
  const i = skipProperties(t, skipInlineSpace(t, p, end), end);
  const c = t.charCodeAt(i);
  if (c === DQ) return closeDouble(t, i, end);
  if (c === SQ) return closeSingle(t, i, end);
  if (c === LBRACE || c === LBRACKET) return skipFlowValue(t, i, end, json);
  return p;
}

// INDENT_AT_MOST[n] finds the next line indented by at most n spaces that holds content (not a comment):
// nested lines are skipped by the regular expression engine, not one by one.
const INDENT_AT_MOST: RegExp[] = [];

/**
 * First content offset of the next line after the one holding `from` that is indented by at most
 * `indent` spaces; NONE when there is none before `end`, UNSURE for tab indentation. Sets `foundLineStart`.
 */
function nextLineAtMost(t: string, from: number, end: number, indent: number): number {
  let re = INDENT_AT_MOST[indent];
  if (!re) {
    re = new RegExp(`\\n {0,${indent}}(?=[^ \\r\\n#])`, "g");
    INDENT_AT_MOST[indent] = re;
  }
  re.lastIndex = from;
  for (;;) {
    const m = re.exec(t);
    // A line starting at `end` is the next document's (its `---`), not part of this one.
    if (m === null || m.index + 1 >= end) return NONE;
    const ls = m.index + 1;
    const f = ls + m[0].length - 1;
    if (t.charCodeAt(f) === TAB) {
      const c = lineContent(t, ls, end);
      if (c === TABBED) return UNSURE;
      re.lastIndex = f;
      continue;
    }
    foundLineStart = ls;
    return f;
  }
}

/** The line after `from` that starts the next entry at column `indent`; NONE at the end of the collection. */
function nextEntry(t: string, from: number, end: number, indent: number): number {
  const f = nextLineAtMost(t, from, end, indent);
  if (f < 0) return f;
  return f - foundLineStart < indent ? NONE : f;
}

function blockMapFind(t: string, node: number, end: number, key: string, json: boolean): Found | number {
  const indent = node - lineStartOf(t, node);
  let p = node;
  let first = true;
  let unsure = false;
  for (;;) {
    let from = p;
    if (isSeqDash(t, p, end)) {
      if (first) return NONE;
    } else {
      const k = readBlockKey(t, p, end);
      if (k === UNSURE) return UNSURE;
      if (k === NOT_A_KEY) return first ? NONE : UNSURE;
      if (k.key === key && !k.merge) return { key: p, value: blockValue(t, k.after, end, indent, true) };
      if (k.key === null) unsure = true;
      from = pastInlineValue(t, k.after, end, json);
      if (from < 0) return UNSURE;
    }
    first = false;
    const next = nextEntry(t, from, end, indent);
    if (next === UNSURE) return UNSURE;
    if (next === NONE) return unsure ? UNSURE : NONE;
    p = next;
  }
}

/** The node of a block sequence item whose `-` is at `dash`, NONE when empty, UNSURE for properties on it. */
function blockItemNode(t: string, dash: number, end: number, indent: number): number {
  const i = skipInlineSpace(t, dash + 1, end);
  const c = t.charCodeAt(i);
  if (c === AMP || c === BANG) return UNSURE;
  if (i < end && c !== LF && c !== CR && c !== HASH) return i;
  const f = nextContentLine(t, i, end);
  if (f === TABBED) return UNSURE;
  if (f === NONE || f - foundLineStart <= indent) return NONE;
  const d = t.charCodeAt(f);
  return d === AMP || d === BANG ? UNSURE : f;
}

/**
 * Walks the items of a block sequence whose first `-` is at `node`. Calls `visit(index, dash, itemNode)`
 * for each until it returns true. Returns the offset of the line that ends the sequence (or `end`),
 * UNSURE when the text is beyond the indexer.
 */
function walkBlockSeq(
  t: string,
  node: number,
  end: number,
  json: boolean,
  visit: (index: number, dash: number, item: number) => boolean,
): number {
  const indent = node - lineStartOf(t, node);
  let dash = node;
  for (let i = 0; ; i++) {
    const item = blockItemNode(t, dash, end, indent);
    if (item === UNSURE) return UNSURE;
    if (visit(i, dash, item)) return dash;
    let from = dash;
    if (item !== NONE && item < nextLine(t, dash)) {
      from = pastInlineValue(t, item, end, json);
      if (from < 0) return UNSURE;
    }
    const next = nextLineAtMost(t, from, end, indent);
    if (next === NONE) return end;
    if (next === UNSURE) return UNSURE;
    const ls = foundLineStart;
    if (next - ls < indent || !isSeqDash(t, next, end)) return ls;
    dash = next;
  }
}

function blockSeqFind(t: string, node: number, end: number, index: number, json: boolean): Found | number {
  let found: Found | undefined;
  const r = walkBlockSeq(t, node, end, json, (i, dash, item) => {
    if (i !== index) return false;
    // An empty item is where its (empty) node would start, as the yaml package places it.
    found =
      item === NONE ? { key: skipInlineSpace(t, dash + 1, end), value: NONE } : { key: item, value: item };
    return true;
  });
  if (found) return found;
  return r === UNSURE ? UNSURE : NONE;
}

/** Skips spaces, line breaks and comments inside a flow collection. */
function skipFlowSpace(t: string, p: number, end: number): number {
  let i = p;
  while (i < end) {
    const c = t.charCodeAt(i);
    if (c === SP || c === TAB || c === LF || c === CR) i++;
    else if (c === HASH) {
      const e = t.indexOf("\n", i);
      i = e === -1 ? end : e;
    } else break;
  }
  return i;
}

/** Skips a JSON value that starts with `{` or `[` by counting brackets outside strings. */
function skipJsonCollection(t: string, p: number, end: number): number {
  let depth = 0;
  let i = p;
  while (i < end) {
    const c = t.charCodeAt(i);
    if (c === DQ) {
      const q = closeDouble(t, i, end);
      if (q < 0) return UNSURE;
      i = q + 1;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) depth++;
    else if (c === RBRACE || c === RBRACKET) {
      if (--depth === 0) return i + 1;
    }
    i++;
  }
  return UNSURE;
}

/** Skips one flow node (scalar, alias or collection) at `p`; returns the offset after it, or UNSURE. */
function skipFlowValue(t: string, p: number, end: number, json: boolean): number {
  let i = p;
  const c = t.charCodeAt(i);
  if (c === DQ || c === SQ) {
    const q = c === DQ ? closeDouble(t, i, end) : closeSingle(t, i, end);
    return q < 0 ? UNSURE : q + 1;
  }
  if (c === LBRACE || c === LBRACKET) {
    if (json) return skipJsonCollection(t, i, end);
    const close = c === LBRACE ? RBRACE : RBRACKET;
    i++;
    for (;;) {
      i = skipFlowSpace(t, i, end);
      if (i >= end) return UNSURE;
      const d = t.charCodeAt(i);
      if (d === close) return i + 1;
      if (d === COMMA) {
        i++;
        continue;
      }
      if (d === QUESTION && isBlank(t.charCodeAt(i + 1))) i = skipFlowSpace(t, i + 1, end);
      i = skipFlowValue(t, i, end, false);
      if (i < 0) return UNSURE;
      i = skipFlowSpace(t, i, end);
      if (t.charCodeAt(i) === COLON) {
        i = skipFlowSpace(t, i + 1, end);
        const e = t.charCodeAt(i);
        if (e !== COMMA && e !== close) {
          i = skipFlowValue(t, i, end, false);
          if (i < 0) return UNSURE;
        }
      }
    }
  }
  if (c === AMP || c === BANG) {
    while (i < end && !isBlank(t.charCodeAt(i)) && !isFlowIndicator(t.charCodeAt(i))) i++;
    i = skipFlowSpace(t, i, end);
    const e = t.charCodeAt(i);
    if (isFlowIndicator(e) && e !== LBRACE && e !== LBRACKET) return i;
    return skipFlowValue(t, i, end, json);
  }
  // Plain scalar or alias: up to a flow indicator, `: `, or a comment.
  while (i < end) {
    const d = t.charCodeAt(i);
    if (isFlowIndicator(d)) break;
    if (d === COLON && (i + 1 >= end || isBlank(t.charCodeAt(i + 1)) || isFlowIndicator(t.charCodeAt(i + 1))))
      break;
    if (d === HASH && i > p && isBlank(t.charCodeAt(i - 1))) break;
    i++;
  }
  // Trailing blanks belong to the separation, not the scalar.
  while (i > p && isBlank(t.charCodeAt(i - 1))) i--;
  return i;
}

function flowMapFind(t: string, node: number, end: number, key: string, json: boolean): Found | number {
  let i = node + 1;
  let unsure = false;
  for (;;) {
    i = skipFlowSpace(t, i, end);
    if (i >= end) return UNSURE;
    const c = t.charCodeAt(i);
    if (c === RBRACE) return unsure ? UNSURE : NONE;
    if (c === COMMA) {
      i++;
      continue;
    }
    const keyStart = i;
    let k: string | null;
    if (c === DQ || c === SQ) {
      const q = c === DQ ? closeDouble(t, i, end) : closeSingle(t, i, end);
      if (q < 0) return UNSURE;
      k = quotedKey(t, i, q);
      i = q + 1;
    } else if (c === QUESTION || c === LBRACE || c === LBRACKET || c === AMP || c === BANG || c === STAR) {
      return UNSURE;
    } else {
      const e = skipFlowValue(t, i, end, json);
      if (e < 0) return UNSURE;
      const text = t.slice(i, e);
      if (text.includes("\n")) return UNSURE;
      k = text === "<<" ? null : plainKey(text);
      i = e;
    }
    i = skipFlowSpace(t, i, end);
    let value = NONE;
    if (t.charCodeAt(i) === COLON) {
      i = skipFlowSpace(t, i + 1, end);
      const d = t.charCodeAt(i);
      if (d !== COMMA && d !== RBRACE) value = i;
    }
    if (k === key) return { key: keyStart, value };
    if (k === null) unsure = true;
    if (value !== NONE) {
      i = skipFlowValue(t, value, end, json);
      if (i < 0) return UNSURE;
      i = skipFlowSpace(t, i, end);
    }
    const d = t.charCodeAt(i);
    if (d === COMMA) i++;
    else if (d !== RBRACE) return UNSURE;
  }
}

/**
 * Walks the items of a flow sequence at `node`, calling `visit(index, itemStart)` until it returns true.
 * Returns the offset after the sequence, or UNSURE.
 */
function walkFlowSeq(
  t: string,
  node: number,
  end: number,
  json: boolean,
  visit: (index: number, item: number) => boolean,
): number {
  let i = node + 1;
  for (let n = 0; ; ) {
    i = skipFlowSpace(t, i, end);
    if (i >= end) return UNSURE;
    const c = t.charCodeAt(i);
    if (c === RBRACKET) return i + 1;
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === QUESTION || c === AMP || c === BANG) return UNSURE;
    const item = i;
    i = skipFlowValue(t, i, end, json);
    if (i < 0) return UNSURE;
    i = skipFlowSpace(t, i, end);
    if (t.charCodeAt(i) === COLON) return UNSURE;
    if (visit(n, item)) return item;
    n++;
    const d = t.charCodeAt(i);
    if (d === COMMA) i++;
    else if (d !== RBRACKET) return UNSURE;
  }
}

function flowSeqFind(t: string, node: number, end: number, index: number, json: boolean): Found | number {
  let found = NONE;
  const r = walkFlowSeq(t, node, end, json, (n, item) => {
    if (n !== index) return false;
    found = item;
    return true;
  });
  if (found !== NONE) return { key: found, value: found };
  return r === UNSURE ? UNSURE : NONE;
}

/**
 * What has been read of one block mapping: the entries passed so far by key, and where to go on. Lets
 * every later lookup in the same mapping resume instead of walking it again from its first line.
 */
interface MapIndex {
  kind: "map";
  indent: number;
  /** First entry of each decodable, non-merge key read so far (the first occurrence wins, as in a walk). */
  entries: Map<string, MapEntry>;
  /** Offset of the next entry line to read; or, when `pending` is set, of the last entry read. */
  next: number;
  /** `after` of the entry at `next`, whose value has not been skipped yet (-1: none). */
  pending: number;
  first: boolean;
  unsure: boolean;
  /** What any key not in `entries` resolves to, once the walk has stopped (NONE or UNSURE). */
  done: number | undefined;
}

interface MapEntry extends Found {
  /** Offset after the key's `:`; `value` is computed from it on first use (LAZY until then). */
  after: number;
}

const LAZY = -4;

/** What has been read of one block sequence: its items so far, and the `-` to go on from. */
interface SeqIndex {
  kind: "seq";
  indent: number;
  items: Found[];
  /** The `-` of the last item read (or of the first, before any). */
  dash: number;
  /** Whether the item at `dash` has been read but not yet skipped. */
  pending: boolean;
  done: number | undefined;
}

type BlockIndex = MapIndex | SeqIndex;

/** Records that the walk of `idx` has ended with `result` for every key or index not found so far. */
function stop(idx: BlockIndex, result: number): number {
  idx.done = result;
  return result;
}

/** blockMapFind, resuming the walk recorded in `idx` (same answers, each line read once). */
function indexedMapFind(t: string, end: number, key: string, json: boolean, idx: MapIndex): Found | number {
  const hit = idx.entries.get(key);
  if (hit) {
    if (hit.value === LAZY) hit.value = blockValue(t, hit.after, end, idx.indent, true);
    return hit;
  }
  if (idx.done !== undefined) return idx.done;
  let p = idx.next;
  for (;;) {
    let from = p;
    if (idx.pending >= 0) {
      from = pastInlineValue(t, idx.pending, end, json);
      idx.pending = -1;
      if (from < 0) return stop(idx, UNSURE);
    } else if (isSeqDash(t, p, end)) {
      if (idx.first) return stop(idx, NONE);
    } else {
      const k = readBlockKey(t, p, end);
      if (k === UNSURE) return stop(idx, UNSURE);
      if (k === NOT_A_KEY) return stop(idx, idx.first ? NONE : UNSURE);
      if (k.key === null) idx.unsure = true;
      else if (!k.merge && !idx.entries.has(k.key)) {
        const entry: MapEntry = { key: p, value: LAZY, after: k.after };
        idx.entries.set(k.key, entry);
        if (k.key === key) {
          // Stop here; the value is skipped when a later lookup goes on past this entry.
          idx.next = p;
          idx.pending = k.after;
          idx.first = false;
          entry.value = blockValue(t, k.after, end, idx.indent, true);
          return entry;
        }
      }
      from = pastInlineValue(t, k.after, end, json);
      if (from < 0) return stop(idx, UNSURE);
    }
    idx.first = false;
    const next = nextEntry(t, from, end, idx.indent);
    if (next === UNSURE) return stop(idx, UNSURE);
    if (next === NONE) return stop(idx, idx.unsure ? UNSURE : NONE);
    p = next;
    idx.next = p;
  }
}

/** blockSeqFind, resuming the walk recorded in `idx`. */
function indexedSeqFind(t: string, end: number, index: number, json: boolean, idx: SeqIndex): Found | number {
  const hit = idx.items[index];
  if (hit) return hit;
  if (idx.done !== undefined) return idx.done;
  const { indent } = idx;
  for (;;) {
    let dash = idx.dash;
    if (idx.pending) {
      const item = idx.items[idx.items.length - 1]!.value;
      let from = dash;
      if (item !== NONE && item < nextLine(t, dash)) {
        from = pastInlineValue(t, item, end, json);
        if (from < 0) return stop(idx, UNSURE);
      }
      const next = nextLineAtMost(t, from, end, indent);
      if (next === NONE) return stop(idx, NONE);
      if (next === UNSURE) return stop(idx, UNSURE);
      if (next - foundLineStart < indent || !isSeqDash(t, next, end)) return stop(idx, NONE);
      dash = next;
      idx.dash = dash;
      idx.pending = false;
    }
    const item = blockItemNode(t, dash, end, indent);
    if (item === UNSURE) return stop(idx, UNSURE);
    // An empty item is where its (empty) node would start, as the yaml package places it.
    const found: Found =
      item === NONE ? { key: skipInlineSpace(t, dash + 1, end), value: NONE } : { key: item, value: item };
    idx.items.push(found);
    idx.pending = true;
    if (idx.items.length - 1 === index) return found;
  }
}

/** One step down: the entry `seg` of the node at `node`. */
function step(
  t: string,
  node: number,
  end: number,
  seg: string | number,
  json: boolean,
  blocks?: Map<number, BlockIndex>,
): Found | number {
  const c = t.charCodeAt(node);
  if (c === LBRACE) return flowMapFind(t, node, end, String(seg), json);
  if (c === LBRACKET) return typeof seg === "number" ? flowSeqFind(t, node, end, seg, json) : NONE;
  if (isSeqDash(t, node, end)) {
    if (typeof seg !== "number") return NONE;
    if (!blocks) return blockSeqFind(t, node, end, seg, json);
    const idx = blockIndexAt(blocks, t, node, "seq");
    // An offset always opens the same kind of collection: the other case cannot occur.
    return idx.kind === "seq" ? indexedSeqFind(t, end, seg, json, idx) : UNSURE;
  }
  if (c === PIPE || c === GT || c === STAR) return NONE;
  if (c === AMP || c === BANG || c === QUESTION) return UNSURE;
  if (!blocks) return blockMapFind(t, node, end, String(seg), json);
  const idx = blockIndexAt(blocks, t, node, "map");
  return idx.kind === "map" ? indexedMapFind(t, end, String(seg), json, idx) : UNSURE;
}

/** The walk recorded for the block collection at `node`, started on first use. */
function blockIndexAt(
  blocks: Map<number, BlockIndex>,
  t: string,
  node: number,
  kind: BlockIndex["kind"],
): BlockIndex {
  let idx = blocks.get(node);
  if (idx === undefined) {
    const indent = node - lineStartOf(t, node);
    idx =
      kind === "seq"
        ? { kind, indent, items: [], dash: node, pending: false, done: undefined }
        : {
            kind,
            indent,
            entries: new Map(),
            next: node,
            pending: -1,
            first: true,
            unsure: false,
            done: undefined,
          };
    blocks.set(node, idx);
  }
  return idx;
}

/**
 * The steps of the last path located from one node: consecutive findings on one resource share most of
 * their path (`spec.template.spec.containers[0].securityContext…`), so the shared part is walked once.
 */
export interface LocateMemo {
  path: (string | number)[];
  /** keys[i] / nodes[i]: the key and value offsets after step i, for the `depth` steps that were found. */
  keys: number[];
  nodes: number[];
  /** How many entries of `path`, `keys` and `nodes` are current; the rest are stale. */
  depth: number;
  /**
   * The block collections walked so far, by node offset, for paths that branch off elsewhere
   * (`containers[0]…` after `containers[1]…`). Optional: without it every step walks from the start.
   */
  blocks?: Map<number, BlockIndex>;
}

/**
 * The offset of the deepest existing field on `path`, starting from the node at `root`: a mapping
 * entry's key, a sequence item's node. `root` itself when not even the first segment exists. UNSURE
 * when the text is beyond the indexer. `end` bounds the document; `json` allows a faster bracket skip.
 * `memo` (per root) lets the next call reuse the common prefix of the two paths.
 */
export function locateInText(
  t: string,
  root: number,
  end: number,
  path: Path,
  json: boolean,
  memo?: LocateMemo,
  value?: unknown,
): number {
  let node = root;
  let best = root;
  let from = 0;
  if (memo) {
    const max = Math.min(memo.depth, path.length);
    while (from < max && memo.path[from] === path[from]) from++;
    if (from > 0) {
      node = memo.nodes[from - 1]!;
      best = memo.keys[from - 1]!;
    }
    // Entries past `depth` are stale and get overwritten: cutting `length` costs a runtime call each time.
    memo.depth = from;
  }
  let v = value;
  for (let i = 0; i < from && v !== undefined; i++) v = childOf(v, path[i]!);
  for (let i = from; i < path.length; i++) {
    if (node < 0) break;
    const seg = path[i]!;
    // A field the parsed value does not have is not in the text either: the answer is the deepest
    // field found so far, without reading the rest of the collection to learn that.
    if (v !== undefined) {
      if (v === ABSENT) break;
      v = childOf(v, seg);
      if (v === ABSENT) break;
    }
    const r = step(t, node, end, seg, json, memo?.blocks);
    if (typeof r === "number") {
      if (r === UNSURE) return UNSURE;
      break;
    }
    best = r.key;
    node = r.value;
    if (memo) {
      memo.path[i] = seg;
      memo.keys[i] = best;
      memo.nodes[i] = node;
      memo.depth = i + 1;
    }
  }
  return best;
}

const ABSENT: unique symbol = Symbol("absent");

/**
 * The child `seg` of a parsed value (plain objects, arrays and scalars are all the parsers make): ABSENT
 * when a mapping or sequence lacks it, `undefined` below a scalar, where the text decides alone.
 */
function childOf(v: unknown, seg: string | number): unknown {
  if (typeof v !== "object" || v === null) return undefined;
  if (Array.isArray(v)) return typeof seg === "number" && seg < v.length ? (v[seg] ?? null) : ABSENT;
  const k = typeof seg === "string" ? seg : String(seg);
  return Object.hasOwn(v, k) ? ((v as Record<string, unknown>)[k] ?? null) : ABSENT;
}

/**
 * The node that starts at the first content offset of a document (skipping `&anchor`/`!tag` properties),
 * or UNSURE.
 */
export function documentRoot(t: string, content: number, end: number): number {
  const i = skipProperties(t, content, end);
  if (i === content) return i;
  const c = t.charCodeAt(i);
  if (i < end && c !== LF && c !== CR && c !== HASH) return i;
  const f = nextContentLine(t, i, end);
  return f < 0 ? UNSURE : f;
}

/** The value node of the path `path` from `root` (for descending into a List's `items`), or NONE/UNSURE. */
export function nodeAt(t: string, root: number, end: number, path: Path, json: boolean): number {
  let node = root;
  for (const seg of path) {
    if (node < 0) return node;
    const r = step(t, node, end, seg, json);
    if (typeof r === "number") return r === UNSURE ? UNSURE : NONE;
    node = r.value;
  }
  return node;
}

/** An item of a sequence: where it starts, and the text region holding it (block sequences only). */
export interface SeqItem {
  /** Offset of the item's node (just after its `-` when the item is empty). */
  at: number;
  /** For a block sequence, the lines of this item: [start, end). Absent for flow sequences. */
  region?: [number, number];
}

/** Every item of the sequence at `node`, in one pass; UNSURE when the indexer cannot walk it. */
export function sequenceItems(
  t: string,
  node: number,
  end: number,
  json: boolean,
): SeqItem[] | typeof UNSURE {
  const items: SeqItem[] = [];
  const c = t.charCodeAt(node);
  if (c === LBRACKET) {
    const r = walkFlowSeq(t, node, end, json, (_, item) => {
      items.push({ at: item });
      return false;
    });
    return r === UNSURE ? UNSURE : items;
  }
  if (!isSeqDash(t, node, end)) return UNSURE;
  const dashes: number[] = [];
  const indent = node - lineStartOf(t, node);
  const r = walkBlockSeq(t, node, end, json, (_, dash, item) => {
    dashes.push(dash - indent);
    items.push({ at: item === NONE ? skipInlineSpace(t, dash + 1, end) : item });
    return false;
  });
  if (r === UNSURE) return UNSURE;
  for (let i = 0; i < items.length; i++)
    items[i]!.region = [dashes[i]!, i + 1 < dashes.length ? dashes[i + 1]! : r];
  return items;
}
