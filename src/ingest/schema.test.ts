import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { kubeSchema, resolvePlain } from "./schema.ts";

describe("the Kubernetes YAML schema (go-yaml v2 rules)", () => {
  it.each([
    ["", null],
    ["~", null],
    ["null", null],
    ["Null", null],
    ["NULL", null],
    ["nil", undefined],
    ["y", true],
    ["Yes", true],
    ["ON", true],
    ["true", true],
    ["n", false],
    ["off", false],
    ["FALSE", false],
    ["yEs", undefined],
    ["0", 0],
    ["-1", -1],
    ["+7", 7],
    ["0644", 420],
    ["0o17", 15],
    ["0x1F", 31],
    ["-0x10", -16],
    ["0b101", 5],
    ["1_000", 1000],
    ["1.5", 1.5],
    ["1e3", 1000],
    [".5", 0.5],
    ["-.inf", Number.NEGATIVE_INFINITY],
    [".NaN", Number.NaN],
    ["08", 8],
    ["64Mi", undefined],
    ["1000m", undefined],
    ["25%", undefined],
    ["1:30", undefined],
    ["1.2.3", undefined],
    ["0x", undefined],
    ["_", undefined],
    ["-", undefined],
    [".", undefined],
    ["1e", undefined],
    ["0b2", undefined],
    ["2001-12-14", undefined],
  ])("resolves %j to %j", (text, value) => {
    expect(resolvePlain(text)).toEqual(value);
  });

  it("resolves plain scalars only; quoted ones stay strings", () => {
    expect(
      load("a: yes\nb: 'yes'\nc: 0644\nd: \"0644\"\ne: 1.0\nf: !!str 1\n", { schema: kubeSchema() }),
    ).toEqual({
      a: true,
      b: "yes",
      c: 420,
      d: "0644",
      e: 1,
      f: "1",
    });
  });

  it("merges mappings with <<", () => {
    expect(load("base: &b {x: 1, z: 2}\nuse:\n  <<: *b\n  z: 3\n", { schema: kubeSchema() })).toEqual({
      base: { x: 1, z: 2 },
      use: { x: 1, z: 3 },
    });
  });

  it('resolves keys too, as kubectl does (`y:` is the key "true")', () => {
    expect(load("y: 1\nno: 2\n1: 3\n", { schema: kubeSchema() })).toEqual({ true: 1, false: 2, 1: 3 });
  });

  it("has no timestamps, sets or binary", () => {
    expect(load("t: 2001-12-14t21:59:43.10-05:00\n", { schema: kubeSchema() })).toEqual({
      t: "2001-12-14t21:59:43.10-05:00",
    });
    expect(() => load("s: !!set {a}\n", { schema: kubeSchema() })).toThrow(/unknown tag/);
  });
});
