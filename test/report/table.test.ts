import { describe, expect, it } from "vitest";
import { renderTable, terminalSafe } from "../../src/report/table.ts";
import { cleanReport, hostileReport, manifestReport, snapshotReport } from "./fixtures.ts";

const ESC = "\u001b";

describe("renderTable", () => {
  it("groups findings by resource and file, each line severity, check, message and file:line", () => {
    const lines = renderTable(manifestReport()).split("\n");
    expect(lines[0]).toBe("Deployment/default/web  k8s/web.yaml:1");
    expect(lines[1]).toBe(
      '  CRITICAL  pss.privileged               Deployment "web": container "app" must not set securityContext.privileged=true  k8s/web.yaml:21',
    );
    expect(lines[3]).toBe(
      '  LOW       workload.latest-tag          Container "app" uses image nginx:latest  k8s/web.yaml:18',
    );
    const headers = lines.filter((l) => l !== "" && !l.startsWith(" "));
    expect(headers).toEqual([
      "Deployment/default/web  k8s/web.yaml:1",
      "Pod/default/debug  ./k8s/my app/pod.yaml:1",
      "ClusterRole/wide  <stdin>:1",
      "StatefulSet/payments/legacy  k8s/legacy.yaml:1",
      "Errors",
      "Warnings",
      "6 findings (1 critical, 1 high, 1 medium, 2 low, 1 info), 2 suppressed, 1 error in 4 resources — failed (failOn high)",
    ]);
  });

  it("marks suppressed findings with their source and reason", () => {
    const text = renderTable(manifestReport());
    expect(text).toContain(
      '  MEDIUM    pss.run-as-non-root          Deployment "web": container "app" must set securityContext.runAsNonRoot=true  k8s/web.yaml:20  [suppressed by annotation: legacy image runs as root (until 2030-01-01)]',
    );
    expect(text).toContain("<stdin>:12  [suppressed by config: cluster operators' break-glass role]");
  });

  it("lists ingest errors with file:line:column and closes with the summary line", () => {
    const text = renderTable(manifestReport());
    expect(text).toContain("Errors\n  k8s/broken.yaml:3:7  bad indentation of a mapping entry\n");
    expect(text.endsWith("in 4 resources — failed (failOn high)\n")).toBe(true);
    expect(renderTable(cleanReport())).toBe(
      "0 findings, 0 suppressed, 0 errors in 1 resource — passed (failOn high)\n",
    );
  });

  it("has no escape codes without colour, and colours severities with them", () => {
    const plain = renderTable(manifestReport());
    expect(plain).not.toContain(ESC);
    const colored = renderTable(manifestReport(), { color: true });
    expect(colored).toContain(`  ${ESC}[1;31mCRITICAL${ESC}[0m  pss.privileged`);
    expect(colored).toContain(`  ${ESC}[31mHIGH    ${ESC}[0m  rbac.wildcard-verbs`);
    expect(colored).toContain(`  ${ESC}[36mLOW     ${ESC}[0m  workload.latest-tag`);
    expect(colored).toContain(`  ${ESC}[2mINFO    ${ESC}[0m  kubeguard.invalid-exemption`);
    // Suppressed findings are dim whatever their severity; a failed verdict is red.
    expect(colored).toContain(`  ${ESC}[2mMEDIUM  ${ESC}[0m  pss.run-as-non-root          Deployment "web"`);
    expect(colored).toContain(`${ESC}[1;31m6 findings`);
    // Without the codes, the coloured output is the plain one.
    expect(
      colored
        .split(ESC)
        .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, "")))
        .join(""),
    ).toBe(plain);
  });

  it("shows snapshot findings under their resource without a file", () => {
    const text = renderTable(snapshotReport());
    expect(text).toContain(
      'Pod/kube-system/node-agent  cluster snapshot\n  CRITICAL  pss.privileged        Pod "node-agent": container "agent" must not set securityContext.privileged=true\n',
    );
    expect(text).toContain("Warnings\n  The control plane of eks is managed");
  });

  it("never passes control characters from the input to the terminal", () => {
    const text = renderTable(hostileReport(), { color: false });
    expect(text).not.toContain(ESC);
    expect(text).toContain("\\x07\\x1b[31mred line");
    expect(text).toContain("\\x00\\x08");
    expect(text.split("\n").filter((l) => l.includes("is privileged"))).toHaveLength(1);
  });
});

describe("terminalSafe", () => {
  it("flattens line breaks and shows other control characters escaped", () => {
    expect(terminalSafe("a\nb\r\n\tc")).toBe("a b c");
    expect(terminalSafe("\u001b[2J\u009b")).toBe("\\x1b[2J\\x9b");
    expect(terminalSafe("abc\u202edcba")).toBe("abc\\u202edcba");
  });
});
