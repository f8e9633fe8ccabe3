/** Property: the evaluator is total. Arbitrary JSON anywhere in the pod never makes it throw. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KObject } from "../../ingest/types.ts";
import { PSS_LEVELS, type PssLevel } from "../types.ts";
import { evaluatePss } from "./index.ts";

const LEVELS: readonly PssLevel[] = PSS_LEVELS;
const VERSIONS = [
  "latest",
  "v1.0",
  "v1.18",
  "v1.19",
  "v1.24",
  "v1.25",
  "v1.34",
  "v1.35",
  "v1.37",
  "v1.99",
  "bogus",
];

// Values biased towards the field names the checks read, so the property reaches deep paths.
const KEYS = [
  "securityContext",
  "containers",
  "initContainers",
  "ephemeralContainers",
  "volumes",
  "name",
  "capabilities",
  "add",
  "drop",
  "ports",
  "hostPort",
  "seccompProfile",
  "appArmorProfile",
  "seLinuxOptions",
  "type",
  "user",
  "role",
  "sysctls",
  "windowsOptions",
  "hostProcess",
  "livenessProbe",
  "lifecycle",
  "postStart",
  "httpGet",
  "tcpSocket",
  "host",
  "hostPath",
  "os",
  "hostUsers",
  "runAsNonRoot",
  "runAsUser",
  "procMount",
  "privileged",
  "allowPrivilegeEscalation",
  "annotations",
  "__proto__",
  "constructor",
];

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1.5, 8080, "", "ALL", "windows", "Unconfined", "Default"),
    fc.string(),
    fc.double(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie("value"), { maxKeys: 6 }),
  ),
})).value;

describe("evaluatePss robustness", () => {
  it("never throws on arbitrary JSON metadata and spec", () => {
    fc.assert(
      fc.property(
        json,
        json,
        fc.constantFrom(...LEVELS),
        fc.constantFrom(...VERSIONS),
        (metadata, spec, level, v) => {
          const r = evaluatePss({ metadata: metadata as KObject, spec: spec as KObject }, level, v);
          expect(r.allowed).toBe(r.violations.length === 0);
          for (const violation of r.violations) expect(violation.paths.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never throws on pod-shaped input with wrong-typed fields", () => {
    const container = fc.record(
      {
        name: json,
        securityContext: json,
        ports: fc.oneof(json, fc.array(fc.record({ hostPort: json }))),
        livenessProbe: json,
        lifecycle: json,
      },
      { requiredKeys: [] },
    );
    const spec = fc.record(
      {
        containers: fc.oneof(json, fc.array(container, { maxLength: 3 })),
        initContainers: fc.oneof(json, fc.array(container, { maxLength: 2 })),
        ephemeralContainers: fc.oneof(json, fc.array(container, { maxLength: 2 })),
        securityContext: json,
        volumes: json,
        os: json,
        hostUsers: json,
        hostNetwork: json,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        spec,
        json,
        fc.constantFrom(...LEVELS),
        fc.constantFrom(...VERSIONS),
        (s, metadata, level, v) => {
          evaluatePss({ metadata: metadata as KObject, spec: s as KObject }, level, v);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("accepts null, arrays and primitives where the pod's objects belong", () => {
    for (const bad of [null, undefined, [], "x", 1, true]) {
      expect(() => evaluatePss({ metadata: bad, spec: bad } as never, "restricted", "latest")).not.toThrow();
    }
    expect(() => evaluatePss(null as never, "restricted", "latest")).not.toThrow();
  });
});
