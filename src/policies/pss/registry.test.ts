/** Meta-tests over the PSS registry: IDs, metadata, revisions and the newest known version. */
import { describe, expect, it } from "vitest";
import { FRAMEWORKS } from "../frameworks.ts";
import { NEWEST_PSS_MINOR, PSS_CHECK_DEFINITIONS, PSS_CHECKS, pssCheckId } from "./index.ts";

const UPSTREAM = [
  "appArmorProfile",
  "capabilities_baseline",
  "hostNamespaces",
  "hostPathVolumes",
  "hostPorts",
  "hostProbesAndHostLifecycle",
  "privileged",
  "procMount",
  "seLinuxOptions",
  "seccompProfile_baseline",
  "sysctls",
  "windowsHostProcess",
  "allowPrivilegeEscalation",
  "capabilities_restricted",
  "procMount_restricted",
  "restrictedVolumes",
  "runAsNonRoot",
  "runAsUser",
  "seccompProfile_restricted",
];

describe("PSS registry", () => {
  it("holds the 19 upstream checks, each once", () => {
    expect(PSS_CHECKS.map((c) => c.pssCheck)).toEqual(UPSTREAM);
    expect(new Set(PSS_CHECKS.map((c) => c.id)).size).toBe(19);
  });

  it.each(PSS_CHECKS)("$id has complete metadata", (c) => {
    expect(c.scope).toBe("pss");
    expect(c.id).toBe(pssCheckId(c.pssCheck));
    expect(c.id).toMatch(/^pss\.[a-z]+(-[a-z]+)*$/);
    expect(c.title.length).toBeGreaterThan(0);
    expect(c.description.length).toBeGreaterThan(40);
    expect(c.remediation).toMatch(/\.$/);
    expect(c.references.map((r) => r.url)).toContain(
      "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    );
    expect(c.frameworks[c.pssLevel === "baseline" ? "pss-baseline" : "pss-restricted"]).toBe(c.pssCheck);
    expect(c.frameworks["nsa-cisa"]).toBe("pod-security");
    expect(c.frameworks["microservices-hardening"]).toBe("1-pod-security");
  });

  it("maps every framework control to a control that exists", () => {
    for (const c of PSS_CHECKS) {
      for (const [framework, control] of Object.entries(c.frameworks)) {
        const f = FRAMEWORKS.find((x) => x.id === framework);
        expect(
          f?.controls.map((x) => x.id),
          `${c.id} → ${framework}:${control}`,
        ).toContain(control);
      }
    }
  });

  it("has strictly increasing revisions, overrides only on restricted checks, naming baseline checks", () => {
    const baseline = new Set(PSS_CHECKS.filter((c) => c.pssLevel === "baseline").map((c) => c.pssCheck));
    for (const d of PSS_CHECK_DEFINITIONS) {
      const versions = d.revisions.map((r) => r.minVersion);
      expect(versions.length).toBeGreaterThan(0);
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1] ?? -1);
      for (const r of d.revisions) {
        if (d.meta.pssLevel === "baseline") expect(r.overrides ?? []).toEqual([]);
        for (const o of r.overrides ?? []) expect(baseline.has(o)).toBe(true);
      }
    }
  });

  it("NEWEST_PSS_MINOR is the largest revision minimum version", () => {
    const max = Math.max(...PSS_CHECK_DEFINITIONS.flatMap((d) => d.revisions.map((r) => r.minVersion)));
    expect(NEWEST_PSS_MINOR).toBe(max);
  });
});
