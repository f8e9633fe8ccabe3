import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { splitDocuments } from "./split.ts";

const docs = (text: string) => splitDocuments(text).map((d) => [d.start, d.end, d.content]);

describe("splitDocuments", () => {
  it("splits at markers at column 0 only", () => {
    const text = "a: 1\n---\nb: |\n  ---\n  text\nc: '\n  --- not a marker'\n---\n";
    expect(docs(text)).toEqual([
      [0, 5, 0],
      [5, 52, 9],
      [52, 56, -1],
    ]);
  });

  it("knows markers from look-alikes", () => {
    expect(splitDocuments("----\n---x\n--- \n...x\n")).toHaveLength(2);
    expect(docs("--- # c\n---\t\n")).toEqual([
      [0, 8, -1],
      [8, 13, -1],
    ]);
  });

  it("ends a document at ... and starts a bare one after it", () => {
    expect(docs("a: 1\n...\n# c\nb: 2\n")).toEqual([
      [0, 9, 0],
      [9, 18, 13],
    ]);
  });

  it("counts documents as the yaml package does", () => {
    const piece = fc.constantFrom(
      "---\n",
      "--- # c\n",
      "...\n",
      "# comment\n",
      "\n",
      "a: 1\n",
      "- x\n",
      "b: |\n  ---x\n",
      "%YAML 1.2\n",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join("");
        const ref = parseAllDocuments(text);
        if (!Array.isArray(ref) || ref.some((d) => d.errors.length > 0)) return;
        const ours = splitDocuments(text);
        // The yaml package gives an empty document an empty plain scalar.
        const withContent = (i: number) => {
          const c = ref[i]?.contents as { source?: string } | null | undefined;
          return c !== null && c !== undefined && c.source !== "";
        };
        // Same documents with content, at the same indexes.
        const refIdx = ref.map((_, i) => i).filter(withContent);
        // Directives with no document after them are kept (to be reported); the yaml package drops them.
        const ourIdx = ours.filter((d) => d.content !== -1 && text[d.content] !== "%").map((d) => d.index);
        expect(ourIdx).toEqual(refIdx);
      }),
      { numRuns: 1000, seed: 3 },
    );
  });
});
