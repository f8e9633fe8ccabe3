/**
 * The scan engine as a user sees it: findings with lines, exemptions kept as suppressed,
 * config options, verdicts, framework scores and stable fingerprints.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/scan/config.ts";
import { scanInputs } from "../src/scan/run.ts";

const NOW = new Date("2026-12-01T12:00:00Z");

const PRIVILEGED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true
`;

function scan(text: string, extra: Partial<Parameters<typeof scanInputs>[0]> = {}) {
  return scanInputs({ inputs: [{ file: "k8s/web.yaml", text }], now: NOW, ...extra });
}

describe("scan", () => {
  it("reports a PSS violation at the line of the offending key, with the library's message", () => {
    const report = scan(PRIVILEGED, { options: { pssLevel: "baseline" } });
    const f = report.findings.find((x) => x.check === "pss.privileged");
    expect(f).toMatchObject({
      pssCheck: "privileged",
      path: "spec.template.spec.containers[0].securityContext.privileged",
      location: { file: "k8s/web.yaml", line: 17, column: 13 },
      message: 'privileged (container "app" must not set securityContext.privileged=true)',
      resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
      suppressed: false,
    });
    expect(report.resources[0]?.pss?.level).toBe("privileged");
    expect(report.resources[0]?.pss?.baseline.allowed).toBe(false);
    expect(report.verdict.passed).toBe(false);
  });

  it("reports only the requested level's PSS findings but always both levels' results", () => {
    const clean = PRIVILEGED.replace("privileged: true", "privileged: false");
    const baseline = scan(clean, { options: { pssLevel: "baseline" } });
    expect(baseline.findings.filter((f) => f.check.startsWith("pss."))).toEqual([]);
    expect(baseline.resources[0]?.pss).toMatchObject({ level: "baseline", restricted: { allowed: false } });
    const restricted = scan(clean, { options: { pssLevel: "restricted" } });
    expect(restricted.findings.some((f) => f.check === "pss.run-as-non-root")).toBe(true);
  });

  it("keeps fingerprints stable when lines move and distinct per path", () => {
    const a = scan(PRIVILEGED);
    const b = scan(`# a comment that moves every line down\n\n${PRIVILEGED}`);
    const idsA = a.findings.map((f) => f.id).sort();
    const idsB = b.findings.map((f) => f.id).sort();
    expect(idsB).toEqual(idsA);
    expect(new Set(idsA).size).toBe(idsA.length);
    expect(b.findings[0]!.location.line).toBeGreaterThan(a.findings[0]!.location.line);
  });

  it("suppresses findings named by a valid exemption annotation, keeping them with the reason", () => {
    const exempt = PRIVILEGED.replace(
      "  namespace: shop\n",
      '  namespace: shop\n  annotations:\n    kubeguard.dev/exempt: "pss.privileged"\n    kubeguard.dev/exempt-reason: "CNI agent needs it"\n    kubeguard.dev/exempt-until: "2027-06-30"\n',
    );
    const report = scan(exempt, { options: { pssLevel: "baseline" } });
    const f = report.findings.find((x) => x.check === "pss.privileged");
    expect(f?.suppressed).toBe(true);
    expect(f?.suppression).toEqual({
      source: "annotation",
      reason: "CNI agent needs it",
      until: "2027-06-30",
    });
    expect(report.summary.suppressed).toBeGreaterThan(0);
    expect(report.findings.some((x) => x.check === "kubeguard.invalid-exemption")).toBe(false);
  });

  it("does not apply an expired or reasonless exemption and reports it", () => {
    const expired = PRIVILEGED.replace(
      "  namespace: shop\n",
      '  namespace: shop\n  annotations:\n    kubeguard.dev/exempt: "pss.privileged"\n    kubeguard.dev/exempt-reason: "old"\n    kubeguard.dev/exempt-until: "2026-11-30"\n',
    );
    const report = scan(expired, { options: { pssLevel: "baseline" } });
    expect(report.findings.find((x) => x.check === "pss.privileged")?.suppressed).toBe(false);
    const invalid = report.findings.find((x) => x.check === "kubeguard.invalid-exemption");
    expect(invalid?.message).toContain("expired on 2026-11-30");
    expect(invalid?.severity).toBe("info");
  });

  it("applies config: level, failOn, disabled checks, re-rated severities and glob exemptions", () => {
    const parsed = parseConfig({
      pssLevel: "baseline",
      failOn: "critical",
      checks: { severity: { "pss.privileged": "low" } },
      exemptions: [
        { checks: ["workload.image-not-pinned"], namespace: "sh*", name: "w?b", reason: "pinned by CD" },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const report = scan(PRIVILEGED, { config: parsed.config });
    expect(report.options).toEqual({ pssLevel: "baseline", pssVersion: "latest", failOn: "critical" });
    expect(report.findings.find((f) => f.check === "pss.privileged")?.severity).toBe("low");
    const disabled = scan(PRIVILEGED, { config: { checks: { disabled: ["pss.privileged"] } } });
    expect(disabled.findings.some((f) => f.check === "pss.privileged")).toBe(false);
    const control = disabled.frameworks
      .find((f) => f.id === "pss-baseline")
      ?.controls.find((c) => c.id === "privileged");
    expect(control?.status).toBe("not-applicable");
  });

  it("refuses a config with an unknown key, naming it", () => {
    const parsed = parseConfig({ pssLevel: "baseline", failon: "high" });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.join("\n")).toContain('unknown key "failon"');
  });

  it("passes the verdict when no finding reaches failOn", () => {
    const report = scan(PRIVILEGED, { options: { failOn: "none" } });
    expect(report.verdict).toEqual({ passed: true, failOn: "none" });
  });

  it("does not report a controller-owned pod a second time beside its controller", () => {
    const pod = `---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9-abcde
  namespace: shop
  ownerReferences:
    - { apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9, controller: true, uid: "1" }
spec:
  containers:
    - { name: app, image: nginx:1.27, securityContext: { privileged: true } }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d4b9
  namespace: shop
  ownerReferences:
    - { apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: "2" }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - { name: app, image: nginx:1.27, securityContext: { privileged: true } }
`;
    const report = scan(PRIVILEGED + pod, { options: { pssLevel: "baseline" } });
    const privileged = report.findings.filter((f) => f.check === "pss.privileged");
    expect(privileged.map((f) => f.resource.kind)).toEqual(["Deployment"]);
    expect(report.resources.map((r) => r.kind)).toEqual(["Deployment"]);
  });

  it("scores frameworks per control with the documented formula", () => {
    const report = scan(PRIVILEGED, { options: { pssLevel: "baseline" } });
    const fw = report.frameworks.find((f) => f.id === "pss-baseline")!;
    const privileged = fw.controls.find((c) => c.id === "privileged")!;
    expect(privileged.status).toBe("failed");
    expect(fw.failed).toBeGreaterThan(0);
    const expected =
      Math.round((1000 * (fw.passed + fw.suppressed)) / (fw.passed + fw.failed + fw.suppressed)) / 10;
    expect(fw.score).toBe(expected);
    expect(fw.passed + fw.failed + fw.suppressed + fw.notApplicable).toBe(fw.controls.length);
  });

  it("gives null scores and not-applicable controls when nothing applies", () => {
    const report = scan(
      "apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 80 }] }\n",
    );
    const pss = report.frameworks.find((f) => f.id === "pss-restricted")!;
    expect(pss.score).toBeNull();
    expect(pss.controls.every((c) => c.status === "not-applicable")).toBe(true);
  });

  it("reports errors for bad documents and still scans the rest", () => {
    const report = scan(
      `${PRIVILEGED}---\nkind: [unclosed\n---\napiVersion: v1\nkind: Service\nmetadata: { name: s }\n`,
    );
    expect(report.errors.length).toBe(1);
    expect(report.errors[0]).toMatchObject({ file: "k8s/web.yaml", document: 1 });
    expect(report.errors[0]!.line).toBeGreaterThanOrEqual(19);
    expect(report.resources.map((r) => r.kind)).toEqual(["Deployment", "Service"]);
  });
});

describe("scan of an input with no resources", () => {
  it("passes no control: every framework is not applicable with a null score", () => {
    const report = scanInputs({ inputs: [{ file: "empty.yaml", text: "# nothing here\n" }], now: NOW });
    for (const fw of report.frameworks) {
      expect(fw.score, fw.id).toBeNull();
      expect(fw.passed, fw.id).toBe(0);
    }
  });
});
