/**
 * Hand-built scan reports for the report tests, independent of the scan engine: a check catalog, and
 * builders for a manifest scan (every severity, suppressions from an annotation and from config,
 * `<stdin>`, a path with a space, a check the catalog does not know, an ingest error), a snapshot scan
 * with no files, and a report with hostile names.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CheckMeta, Severity } from "../../src/policies/types.ts";
import { SEVERITIES } from "../../src/policies/types.ts";
import { catalogOf } from "../../src/report/shared.ts";
import type { Finding, FrameworkResult, ResourceReport, ScanReport } from "../../src/scan/types.ts";

/** `../shared/schemas/` beside the repository root. */
export const SCHEMAS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/schemas");

/** The JSON Schema of the scan report, in the repository. */
export const REPORT_SCHEMA = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../docs/schema/scan-report.v1.json",
);

const PSS_DOCS = {
  title: "Pod Security Standards",
  url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
};

export const TEST_CHECKS: CheckMeta[] = [
  {
    id: "pss.privileged",
    title: "Containers must not run privileged",
    severity: "critical",
    description: "Reads each container's securityContext.privileged; it must be unset or false.",
    remediation: "Remove securityContext.privileged or set it to false.",
    references: [PSS_DOCS],
    frameworks: { "pss-baseline": "privileged", "pss-restricted": "privileged", cis: "5.2.2" },
    pssCheck: "privileged",
    pssLevel: "baseline",
  },
  {
    id: "pss.run-as-non-root",
    aliases: ["pss.non-root"],
    title: "Containers must run as non-root",
    severity: "medium",
    description: "Reads runAsNonRoot on the pod and on each container; it must be true.",
    remediation: "Set securityContext.runAsNonRoot to true.",
    references: [PSS_DOCS],
    frameworks: { "pss-restricted": "runAsNonRoot", cis: "5.2.7" },
    pssCheck: "runAsNonRoot",
    pssLevel: "restricted",
  },
  {
    id: "rbac.wildcard-verbs",
    title: "Roles must not grant wildcard verbs",
    severity: "high",
    description: "Reads rules[].verbs of Roles and ClusterRoles; `*` is not allowed.",
    remediation: "List the verbs the subject needs instead of `*`.",
    references: [
      {
        title: "RBAC good practices",
        url: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
      },
    ],
    frameworks: { cis: "5.1.3", "nsa-cisa": "authorization" },
  },
  {
    id: "workload.latest-tag",
    title: "Images must be pinned",
    severity: "low",
    description: "Reads each container's image; a missing tag or `:latest` is reported.",
    remediation: "Pin the image to a version tag or a digest.",
    references: [],
    frameworks: {},
  },
  {
    id: "network.default-deny",
    title: "Namespaces need a default-deny NetworkPolicy",
    severity: "medium",
    description: "Looks for a NetworkPolicy selecting every pod of each namespace.",
    remediation: "Add a default-deny NetworkPolicy to the namespace.",
    references: [],
    frameworks: { cis: "5.3.2" },
  },
  {
    id: "kubeguard.invalid-exemption",
    title: "Exemption annotation that does not apply",
    severity: "info",
    description: "An exemption without a reason, with a malformed date, or past its date.",
    remediation: "Give the exemption a reason and a valid future date, or remove it.",
    references: [{ title: "kubeguard exemptions", url: "https://kubeguard.dev/docs/exemptions" }],
    frameworks: {},
  },
];

export const TEST_CATALOG = catalogOf(TEST_CHECKS);

const WEB = { apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web" };
const DEBUG = { apiVersion: "v1", kind: "Pod", namespace: "default", name: "debug" };
const WIDE = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "wide" };
const LEGACY = { apiVersion: "apps/v1", kind: "StatefulSet", namespace: "payments", name: "legacy" };

export const WEB_FILE = "k8s/web.yaml";
export const SPACE_FILE = "./k8s/my app/pod.yaml";

let counter = 0;

/** A finding with defaults; `id` is unique per call. */
export function finding(overrides: Partial<Finding> & Pick<Finding, "check" | "severity">): Finding {
  counter++;
  return {
    id: `fp${counter.toString(16).padStart(14, "0")}`,
    title: TEST_CATALOG.get(overrides.check)?.title ?? overrides.check,
    message: `finding ${counter}`,
    resource: WEB,
    path: "spec.template.spec.containers[0]",
    location: { file: WEB_FILE, line: 10, column: 7 },
    suppressed: false,
    ...overrides,
  };
}

const FRAMEWORKS: FrameworkResult[] = [
  {
    id: "pss-baseline",
    title: "Pod Security Standards: baseline",
    score: 91.7,
    passed: 11,
    failed: 1,
    suppressed: 0,
    notApplicable: 0,
    controls: [
      {
        id: "privileged",
        title: "Privileged containers",
        status: "failed",
        checks: ["pss.privileged"],
        findings: 1,
        suppressed: 0,
      },
    ],
  },
  {
    id: "cis",
    title: "CIS Kubernetes Benchmark (controls kubeguard implements)",
    score: 62.5,
    passed: 5,
    failed: 3,
    suppressed: 0,
    notApplicable: 18,
    controls: [],
  },
  {
    id: "microservices-hardening",
    title: "Microservices hardening: the five recommendations",
    score: null,
    passed: 0,
    failed: 0,
    suppressed: 0,
    notApplicable: 5,
    controls: [],
  },
];

/** Fill `summary` and `verdict` from the findings and errors, as the engine would. */
export function summarize(report: Omit<ScanReport, "summary" | "verdict"> & Partial<ScanReport>): ScanReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of report.findings) if (!f.suppressed) bySeverity[f.severity]++;
  const open = report.findings.filter((f) => !f.suppressed);
  const failOn = report.options.failOn;
  const rank = (s: Severity) => SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
  const failed = failOn !== "none" && open.some((f) => rank(f.severity) >= rank(failOn));
  return {
    ...report,
    summary: {
      resources: report.resources.length,
      findings: open.length,
      bySeverity,
      suppressed: report.findings.length - open.length,
      errors: report.errors.length,
    },
    verdict: { passed: !failed, failOn },
  } as ScanReport;
}

function resource(ref: typeof WEB | typeof WIDE, file: string, line: number, document = 0): ResourceReport {
  return { ...ref, source: { file, document, line } };
}

/** A manifest scan with one finding of each severity and every kind of location and suppression. */
export function manifestReport(): ScanReport {
  const findings: Finding[] = [
    finding({
      check: "workload.latest-tag",
      severity: "low",
      message: 'Container "app" uses image nginx:latest',
      path: "spec.template.spec.containers[0].image",
      location: { file: WEB_FILE, line: 18, column: 16 },
    }),
    finding({
      check: "pss.privileged",
      severity: "critical",
      message: 'Deployment "web": container "app" must not set securityContext.privileged=true',
      path: "spec.template.spec.containers[0].securityContext.privileged",
      location: { file: WEB_FILE, line: 21, column: 13 },
      pssCheck: "privileged",
    }),
    finding({
      check: "rbac.wildcard-verbs",
      severity: "high",
      message: 'ClusterRole "wide" grants verbs ["*"] on pods',
      resource: WIDE,
      path: "rules[0].verbs",
      location: { file: "<stdin>", line: 8, column: 5 },
    }),
    finding({
      check: "pss.run-as-non-root",
      severity: "medium",
      message: 'Pod "debug": container "shell" must set securityContext.runAsNonRoot=true',
      resource: DEBUG,
      path: "spec.containers[0].securityContext.runAsNonRoot",
      location: { file: SPACE_FILE, line: 9, column: 7 },
      pssCheck: "runAsNonRoot",
    }),
    finding({
      check: "kubeguard.invalid-exemption",
      severity: "info",
      message: 'Deployment "web": exemption of pss.privileged does not apply: no kubeguard.dev/exempt-reason',
      path: "metadata.annotations.kubeguard\\.dev/exempt",
      location: { file: WEB_FILE, line: 5, column: 5 },
    }),
    finding({
      check: "pss.run-as-non-root",
      severity: "medium",
      message: 'Deployment "web": container "app" must set securityContext.runAsNonRoot=true',
      path: "spec.template.spec.containers[0].securityContext.runAsNonRoot",
      location: { file: WEB_FILE, line: 20, column: 11 },
      suppressed: true,
      suppression: { source: "annotation", reason: "legacy image runs as root", until: "2030-01-01" },
      pssCheck: "runAsNonRoot",
    }),
    finding({
      check: "rbac.wildcard-verbs",
      severity: "high",
      message: 'ClusterRole "wide" grants verbs ["*"] on secrets',
      resource: WIDE,
      path: "rules[1].verbs",
      location: { file: "<stdin>", line: 12, column: 5 },
      suppressed: true,
      suppression: { source: "config", reason: "cluster operators' break-glass role" },
    }),
    finding({
      check: "future.unknown-check",
      severity: "low",
      title: "A check this catalog does not know",
      message: 'StatefulSet "legacy" does something a newer kubeguard reports',
      resource: LEGACY,
      path: "spec",
      location: { file: "k8s/legacy.yaml", line: 3, column: 1 },
    }),
  ];
  return summarize({
    schemaVersion: 1,
    tool: { name: "kubeguard", version: "0.1.0" },
    options: { pssLevel: "restricted", pssVersion: "latest", failOn: "high" },
    resources: [
      resource(WEB, WEB_FILE, 1),
      resource(DEBUG, SPACE_FILE, 1),
      resource(WIDE, "<stdin>", 1),
      resource(LEGACY, "k8s/legacy.yaml", 1),
    ],
    findings,
    errors: [
      {
        file: "k8s/broken.yaml",
        document: 1,
        line: 3,
        column: 7,
        message: "bad indentation of a mapping entry",
      },
    ],
    frameworks: FRAMEWORKS,
    warnings: [
      "The exemption of pss.privileged in .kubeguard.yaml expired on 2024-01-01 and no longer applies.",
    ],
  });
}

/** A cluster snapshot scan: resources and findings without a file. */
export function snapshotReport(): ScanReport {
  const findings = [
    finding({
      check: "pss.privileged",
      severity: "critical",
      message: 'Pod "node-agent": container "agent" must not set securityContext.privileged=true',
      resource: { apiVersion: "v1", kind: "Pod", namespace: "kube-system", name: "node-agent" },
      path: "spec.containers[0].securityContext.privileged",
      location: { file: "", line: 1, column: 1 },
    }),
    finding({
      check: "network.default-deny",
      severity: "medium",
      message: 'Namespace "payments" has no default-deny NetworkPolicy',
      resource: { apiVersion: "v1", kind: "Namespace", name: "payments" },
      path: "",
      location: { file: "", line: 1, column: 1 },
    }),
  ];
  return summarize({
    schemaVersion: 1,
    tool: { name: "kubeguard", version: "0.1.0" },
    options: { pssLevel: "baseline", pssVersion: "v1.30", failOn: "critical" },
    resources: [
      {
        apiVersion: "v1",
        kind: "Pod",
        namespace: "kube-system",
        name: "node-agent",
        source: { file: "", document: 0, line: 1 },
      },
      { apiVersion: "v1", kind: "Namespace", name: "payments", source: { file: "", document: 0, line: 1 } },
    ],
    findings,
    errors: [],
    frameworks: FRAMEWORKS.slice(0, 1),
    snapshot: {
      cluster: "prod-eu",
      capturedAt: "2025-03-04T05:06:07Z",
      serverVersion: "v1.30.2",
      provider: "eks",
      warnings: ["The control plane of eks is managed: etcd encryption cannot be read."],
    },
  });
}

/** Text that breaks every format that forgets to escape. */
export const HOSTILE = "<script>alert(1)</script>";

/** A report whose names, messages, paths and files carry markup, control characters and separators. */
export function hostileReport(): ScanReport {
  const ref = { apiVersion: "apps/v1", kind: "Deployment", namespace: "evil|ns", name: HOSTILE };
  const findings = [
    finding({
      check: "pss.privileged",
      severity: "critical",
      message: `container "${HOSTILE}" is privileged | *bold* _em_ \`code\` [link](http://evil.example) @octocat $x$ & <b>\u0007\u001b[31mred\nline`,
      resource: ref,
      path: 'spec.containers[0]["<img src=x onerror=alert(1)>"]',
      location: { file: `k8s/<img src=x onerror=alert(1)>.yaml`, line: 4, column: 3 },
    }),
    finding({
      check: "rbac.wildcard-verbs",
      severity: "high",
      message: "]]> </failure> \u0000\u0008\uFFFE\uD800 end",
      resource: ref,
      location: { file: "k8s/\"quoted\" & 'single'.yaml", line: 2, column: 1 },
      suppressed: true,
      suppression: { source: "annotation", reason: `${HOSTILE} because` },
    }),
  ];
  return summarize({
    schemaVersion: 1,
    tool: { name: "kubeguard", version: "0.1.0" },
    options: { pssLevel: "restricted", pssVersion: "latest", failOn: "high" },
    resources: [{ ...ref, source: { file: "k8s/evil.yaml", document: 0, line: 1 } }],
    findings,
    errors: [{ file: `${HOSTILE}.yaml`, line: 1, column: 1, message: `unexpected ${HOSTILE}` }],
    frameworks: [{ ...FRAMEWORKS[0]!, title: `${HOSTILE} framework` }],
    warnings: [HOSTILE],
  });
}

/** A clean scan: resources, no findings, no errors. */
export function cleanReport(): ScanReport {
  return summarize({
    schemaVersion: 1,
    tool: { name: "kubeguard", version: "0.1.0" },
    options: { pssLevel: "restricted", pssVersion: "latest", failOn: "high" },
    resources: [resource(WEB, WEB_FILE, 1)],
    findings: [],
    errors: [],
    frameworks: FRAMEWORKS.slice(0, 1),
  });
}

/** A report with `n` findings of every severity, one in five suppressed, each with a long message. */
export function largeReport(n: number): ScanReport {
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const severity = SEVERITIES[i % SEVERITIES.length]!;
    findings.push(
      finding({
        check: "pss.privileged",
        severity,
        message: `container "c${i}" must not set securityContext.privileged=true — ${"x".repeat(120)}`,
        resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "ns", name: `app-${i}` },
        location: { file: `k8s/app-${i}.yaml`, line: 10 + (i % 50), column: 7 },
        suppressed: i % 5 === 4,
        ...(i % 5 === 4 ? { suppression: { source: "config" as const, reason: `reason ${i}` } } : {}),
      }),
    );
  }
  return summarize({
    schemaVersion: 1,
    tool: { name: "kubeguard", version: "0.1.0" },
    options: { pssLevel: "restricted", pssVersion: "latest", failOn: "high" },
    resources: [],
    findings,
    errors: [],
    frameworks: FRAMEWORKS,
  });
}
