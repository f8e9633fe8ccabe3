import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPath, parsePath } from "./path.ts";

describe("formatPath", () => {
  it("writes identifiers with dots and indexes in brackets", () => {
    expect(formatPath(["spec", "template", "spec", "containers", 0, "securityContext", "privileged"])).toBe(
      "spec.template.spec.containers[0].securityContext.privileged",
    );
    expect(formatPath([])).toBe("");
    expect(formatPath([3, "a"])).toBe("[3].a");
  });

  it("quotes keys that are not identifiers", () => {
    expect(
      formatPath(["metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/app"]),
    ).toBe('metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]');
    expect(formatPath(["a-b", "c d", "", "0", 'q"'])).toBe('["a-b"]["c d"][""]["0"]["q\\""]');
  });

  it("writes a key bare exactly when it matches ^[A-Za-z_][A-Za-z0-9_]*$", () => {
    const ident = /^[A-Za-z_][A-Za-z0-9_]*$/;
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.stringMatching(/^[A-Za-z0-9_@[`{/:]{0,5}$/));
    fc.assert(
      fc.property(key, (k) => {
        expect(formatPath(["a", k])).toBe(ident.test(k) ? `a.${k}` : `a[${JSON.stringify(k)}]`);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});

describe("parsePath", () => {
  it("reads what formatPath writes", () => {
    expect(parsePath('spec.containers[0]["a.b"].c')).toEqual(["spec", "containers", 0, "a.b", "c"]);
    expect(parsePath("")).toEqual([]);
  });

  it("rejects what formatPath never writes", () => {
    for (const bad of ["a..b", "a[", "a[01]", "a[-1]", '["x]', ".a", "a b", "a[x]"]) {
      expect(() => parsePath(bad), bad).toThrow(SyntaxError);
    }
  });

  it("round-trips any path", () => {
    const seg = fc.oneof(fc.nat(), fc.string(), fc.constantFrom("spec", "a.b", "x/y", "_id", "A1"));
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 8 }), (path) => {
        expect(parsePath(formatPath(path))).toEqual(path);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
