/** Message helpers: Go %q quoting and Go's byte-order string sort. */
import { describe, expect, it } from "vitest";
import { compareUtf8, goQuote, joinQuote, setters, sortedSet } from "./format.ts";

describe("goQuote", () => {
  it.each([
    ["", '""'],
    ["unconfined", '"unconfined"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ["\x07\b\f\n\r\t\v", '"\\a\\b\\f\\n\\r\\t\\v"'],
    ["\x00\x01\x1f\x7f", '"\\x00\\x01\\x1f\\x7f"'],
    ["é ü 日本 ✓", '"é ü 日本 ✓"'],
    ["\u00a0\u00ad\u2028\ufeff", '"\\u00a0\\u00ad\\u2028\\ufeff"'],
    ["😀", '"😀"'],
    ["\u{e0001}", '"\\U000e0001"'],
    ["a\ud800b", '"a\ufffdb"'],
    ["'`", '"\'`"'],
  ])("quotes %j as Go does", (input, want) => {
    expect(goQuote(input)).toBe(want);
  });
});

describe("compareUtf8 / sortedSet", () => {
  it("sorts by UTF-8 bytes: uppercase before lowercase, strings not numbers", () => {
    expect(sortedSet(["b", "B", "a", "8080", "10000", "a"])).toEqual(["10000", "8080", "B", "a", "b"]);
  });

  it("puts code points above U+FFFF after U+E000–U+FFFF, as UTF-8 does", () => {
    expect(["😀", "\uffff", "\ue000"].sort(compareUtf8)).toEqual(["\ue000", "\uffff", "😀"]);
    expect(compareUtf8("ab", "abc")).toBeLessThan(0);
    expect(compareUtf8("x", "x")).toBe(0);
  });
});

describe("joinQuote / setters", () => {
  it("quotes without escaping", () => {
    expect(joinQuote([])).toBe("");
    expect(joinQuote(['k="v"', "b"])).toBe('"k="v"", "b"');
  });

  it("phrases setters as the library does", () => {
    expect(setters(true, [])).toBe("pod");
    expect(setters(false, ["a"])).toBe('container "a"');
    expect(setters(true, ["a", "b"])).toBe('pod and containers "a", "b"');
    expect(setters(false, [])).toBe("");
  });
});
