/**
 * Splits a YAML stream into documents without parsing them: at column 0 a `---` or `...` marker is always
 * a document boundary in YAML 1.2, even inside a block scalar or a quoted string. One pass over line
 * starts; each document is then parsed on its own, so one bad document never hides the others.
 */

/** One document of a YAML stream, as offsets into the text. */
export interface DocChunk {
  /** 0-based index as the user counts: the Nth `---`-separated document, empty ones included. */
  index: number;
  /** First offset of the document's text (its directives or its `---` line). */
  start: number;
  /** Offset just past the document's text. */
  end: number;
  /** Offset of the first content character, or -1 when the document is empty or holds only comments. */
  content: number;
}

const DASH = 45;
const DOT = 46;
const HASH = 35;
const PERCENT = 37;
const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;

/** Whether `text[at..]` is a marker of three `ch` followed by a blank or the end of the line. */
function isMarker(text: string, at: number, ch: number): boolean {
  if (text.charCodeAt(at) !== ch || text.charCodeAt(at + 1) !== ch || text.charCodeAt(at + 2) !== ch)
    return false;
  const c = text.charCodeAt(at + 3);
  return Number.isNaN(c) || c === SPACE || c === TAB || c === LF || c === CR;
}

/** Offset of the first content character on the line [from, lineEnd), or -1 for a blank or comment line. */
function contentOn(text: string, from: number, lineEnd: number): number {
  let i = from;
  while (i < lineEnd) {
    const c = text.charCodeAt(i);
    // A byte order mark may open a document's first line.
    if (c === SPACE || c === TAB || c === CR || (c === 0xfeff && i === from)) i++;
    else return c === HASH ? -1 : i;
  }
  return -1;
}

/** The start of the line after the newline at `nl`, or `len` when there is none. */
function lineAfter(nl: number, len: number): number {
  return nl === -1 ? len : nl + 1;
}

/**
 * Finds the documents of a YAML stream. Text before the first `---` is a document of its own only when it
 * has content (an implicit document); otherwise it is the first document's prefix (comments, directives).
 * `%` directive lines just before a `---` belong to the document that marker opens.
 */
export function splitDocuments(text: string): DocChunk[] {
  const docs: DocChunk[] = [];
  const len = text.length;
  let start = 0;
  let content = -1;
  // Whether the current document was opened by `---` (or is the implicit first one with content).
  let open = false;
  // Start of the current run of `%` lines at column 0, -1 when the last line with content was not one.
  let directives = -1;
  // First `%` line of the next document's directives, so directives with no document after them are not lost.
  let pending = -1;
  let line = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const close = (end: number): void => {
    docs.push({ index: docs.length, start, end, content });
  };
  // Inside a document's content only a `---` or `...` line or a `%` line can change anything: the loop
  // jumps between those (the next of each is remembered, so the text is searched once overall).
  let dash = -1;
  let dot = -1;
  let pct = -1;
  const nextCandidate = (from: number): number => {
    if (dash !== len && dash < from) dash = lineAfter(text.indexOf("\n---", from - 1), len);
    if (dot !== len && dot < from) dot = lineAfter(text.indexOf("\n...", from - 1), len);
    if (pct !== len && pct < from) {
      // `%` is rare, and "\n%" would stop at every line end: look for `%` and keep those at a line start.
      let p = text.indexOf("%", from);
      while (p !== -1 && text.charCodeAt(p - 1) !== LF) p = text.indexOf("%", p + 1);
      pct = p === -1 ? len : p;
    }
    return Math.min(dash, dot, pct);
  };
  while (line <= len) {
    if (content !== -1 && directives === -1 && line > 0) {
      line = nextCandidate(line);
      if (line >= len) break;
    }
    let lineEnd = text.indexOf("\n", line);
    if (lineEnd === -1) lineEnd = len;
    const c = text.charCodeAt(line);
    if (c === DASH && isMarker(text, line, DASH)) {
      const from = directives !== -1 ? directives : line;
      if (open) close(from);
      else if (content !== -1) {
        // Content before the first marker (or after `...`) is an implicit document.
        close(from);
      }
      start = open || content !== -1 ? from : start;
      open = true;
      directives = -1;
      pending = -1;
      content = contentOn(text, line + 3, lineEnd);
    } else if (c === DOT && isMarker(text, line, DOT)) {
      // `%` lines not followed by `---` are content, to be reported by the parser.
      if (content === -1) content = directives !== -1 ? directives : pending;
      // `...` ends a document, an empty one when none was open (the yaml package counts it too).
      close(lineEnd === len ? len : lineEnd + 1);
      pending = -1;
      start = lineEnd === len ? len : lineEnd + 1;
      open = false;
      content = -1;
      directives = -1;
    } else if (c === PERCENT && !open && content === -1) {
      // A directive of the next document (at the stream start or after `...`).
      if (pending === -1) pending = line;
    } else if (c === PERCENT) {
      if (directives === -1) directives = line;
    } else if (content === -1) {
      const at = contentOn(text, line, lineEnd);
      if (at !== -1) {
        content = at;
        directives = -1;
      }
    } else if (c !== HASH && c !== LF && c !== CR && lineEnd !== line) {
      // A line with content (or indented): `%` lines before it are not the next document's directives.
      directives = -1;
    }
    line = lineEnd + 1;
  }
  if (content === -1 && directives !== -1) content = directives;
  if (open || content !== -1) close(len);
  else if (pending !== -1) {
    content = pending;
    close(len);
  }
  return docs;
}
