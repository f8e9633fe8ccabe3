import { describe, expect, it } from "vitest";
import {
  EVERYTHING,
  isEmptySelector,
  labelsOf,
  matchesLabels,
  parseLabelSelector,
} from "./label-selector.ts";

describe("parseLabelSelector", () => {
  it("turns matchLabels into In requirements and keeps expressions", () => {
    expect(
      parseLabelSelector({
        matchLabels: { app: "web" },
        matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }],
      }),
    ).toEqual({
      requirements: [
        { key: "app", operator: "In", values: ["web"] },
        { key: "tier", operator: "NotIn", values: ["db"] },
      ],
    });
  });
  it("reads {} and null parts as empty", () => {
    expect(parseLabelSelector({})).toEqual(EVERYTHING);
    expect(parseLabelSelector({ matchLabels: null, matchExpressions: null })).toEqual(EVERYTHING);
    expect(
      isEmptySelector(
        parseLabelSelector({ matchLabels: {} }) ?? {
          requirements: [{ key: "x", operator: "Exists", values: [] }],
        },
      ),
    ).toBe(true);
  });
  it.each([
    ["not an object", "app=web"],
    ["a non-string label value", { matchLabels: { version: 1 } }],
    ["an unknown operator", { matchExpressions: [{ key: "a", operator: "Equals", values: ["b"] }] }],
    ["In without values", { matchExpressions: [{ key: "a", operator: "In", values: [] }] }],
    ["Exists with values", { matchExpressions: [{ key: "a", operator: "Exists", values: ["b"] }] }],
    ["a missing key", { matchExpressions: [{ operator: "Exists" }] }],
    ["matchExpressions not a list", { matchExpressions: { key: "a" } }],
  ])("rejects %s", (_, value) => {
    expect(parseLabelSelector(value)).toBeUndefined();
  });
});

describe("matchesLabels", () => {
  const labels = { app: "web", tier: "frontend" };
  it.each([
    [{}, true],
    [{ matchLabels: { app: "web" } }, true],
    [{ matchLabels: { app: "web", tier: "backend" } }, false],
    [{ matchExpressions: [{ key: "tier", operator: "In", values: ["frontend", "edge"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["frontend"] }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, true],
    [{ matchExpressions: [{ key: "app", operator: "Exists" }] }, true],
    [{ matchExpressions: [{ key: "zone", operator: "Exists" }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, true],
    [{ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, false],
  ])("%j on app=web,tier=frontend is %s", (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });
  it("matches nothing with an invalid selector", () => {
    expect(matchesLabels(undefined, labels)).toBe(false);
  });
  it("does not treat inherited properties as labels", () => {
    const sel = parseLabelSelector({ matchExpressions: [{ key: "constructor", operator: "Exists" }] });
    expect(matchesLabels(sel, {})).toBe(false);
  });
});

describe("labelsOf", () => {
  it("keeps string values only", () => {
    expect(labelsOf({ metadata: { labels: { a: "1", b: 2, c: null } } })).toEqual({ a: "1" });
    expect(labelsOf({ metadata: "x" })).toEqual({});
    expect(labelsOf(null)).toEqual({});
  });
});
