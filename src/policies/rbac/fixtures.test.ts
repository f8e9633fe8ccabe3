import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCheck } from "../testing.ts";
import { rbacChecks } from "./index.ts";

const dir = fileURLToPath(new URL("./fixtures/", import.meta.url));
const files = new Set(readdirSync(dir));

describe("rbac fixtures", () => {
  for (const check of rbacChecks) {
    if (check.scope === "pss") continue;
    const name = check.id.slice(check.id.indexOf(".") + 1);
    it(`${check.id} has pass and fail fixtures that behave`, () => {
      expect(files.has(`${name}.pass.yaml`)).toBe(true);
      expect(files.has(`${name}.fail.yaml`)).toBe(true);
      const pass = readFileSync(`${dir}${name}.pass.yaml`, "utf8");
      const fail = readFileSync(`${dir}${name}.fail.yaml`, "utf8");
      expect(runCheck(check, pass)).toEqual([]);
      expect(runCheck(check, fail).length).toBeGreaterThan(0);
    });
  }
  it("has no fixture without a check", () => {
    const names = new Set(rbacChecks.map((c) => c.id.slice(c.id.indexOf(".") + 1)));
    for (const f of files) expect(names.has(f.replace(/\.(pass|fail)\.yaml$/, ""))).toBe(true);
  });
});
