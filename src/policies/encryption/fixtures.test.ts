/**
 * Every check of the module against its own pass and fail fixtures: a pass fixture gives no finding of
 * that check (or the check does not apply), a fail fixture applies and gives at least one. ClusterSnapshot
 * fixtures go through the real ingest (items become resources, metadata the snapshot).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingest } from "../../ingest/index.ts";
import { buildInventory } from "../../scan/inventory.ts";
import type { CheckContext, ClusterCheck } from "../types.ts";
import { encryptionChecks } from "./index.ts";

const DIR = join(import.meta.dirname, "fixtures");

function load(file: string): CheckContext {
  const { resources, snapshot, errors } = ingest([{ file, text: readFileSync(join(DIR, file), "utf8") }]);
  if (errors.length > 0) throw new Error(`ingest errors in ${file}: ${JSON.stringify(errors)}`);
  return {
    pssLevel: "restricted",
    pssVersion: "latest",
    now: new Date("2026-12-01T00:00:00Z"),
    inventory: buildInventory(resources, snapshot),
  };
}

const files = new Set(readdirSync(DIR));

describe("encryption fixtures", () => {
  it("every fixture belongs to a check", () => {
    const names = new Set(encryptionChecks.map((c) => c.id.split(".")[1]));
    for (const f of files) expect(names.has(f.replace(/\.(pass|fail)\.yaml$/, ""))).toBe(true);
  });

  for (const check of encryptionChecks as ClusterCheck[]) {
    const name = check.id.split(".")[1] ?? "";
    it(`${check.id}: pass fixture gives no finding`, () => {
      expect(files.has(`${name}.pass.yaml`)).toBe(true);
      const ctx = load(`${name}.pass.yaml`);
      const found = check.applies && !check.applies(ctx) ? [] : check.evaluate(ctx);
      expect(found.map((f) => f.message)).toEqual([]);
    });
    it(`${check.id}: fail fixture applies and gives a finding`, () => {
      expect(files.has(`${name}.fail.yaml`)).toBe(true);
      const ctx = load(`${name}.fail.yaml`);
      expect(check.applies?.(ctx) ?? true).toBe(true);
      expect(check.evaluate(ctx).length).toBeGreaterThan(0);
    });
  }
});
