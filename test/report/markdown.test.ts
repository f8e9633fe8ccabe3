import { describe, expect, it } from "vitest";
import {
  escapeMarkdown,
  GITHUB_COMMENT_LIMIT,
  MARKDOWN_MAX_LENGTH,
  MARKDOWN_TOP_FINDINGS,
  renderMarkdown,
} from "../../src/report/markdown.ts";
import {
  cleanReport,
  HOSTILE,
  hostileReport,
  largeReport,
  manifestReport,
  snapshotReport,
} from "./fixtures.ts";

/** Table rows (lines starting with `| `) between two markers. */
function rowsBetween(md: string, start: string, end: string): string[] {
  const from = md.indexOf(start);
  const to = md.indexOf(end, from + start.length);
  return md
    .slice(from, to < 0 ? undefined : to)
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| Severity") && !l.startsWith("| ---"));
}

describe("renderMarkdown", () => {
  it("opens with the verdict line and counts by severity", () => {
    const md = renderMarkdown(manifestReport());
    expect(md.startsWith("## kubeguard report\n\n")).toBe(true);
    expect(md).toContain(
      "**kubeguard: failed** (failOn high): 6 findings (1 critical, 1 high, 1 medium, 2 low, 1 info), 2 suppressed, 1 error in 4 resources.",
    );
    expect(md).toContain(
      "| Severity | Findings |\n| --- | ---: |\n| critical | 1 |\n| high | 1 |\n| medium | 1 |\n| low | 2 |\n| info | 1 |\n",
    );
    expect(renderMarkdown(cleanReport())).toContain(
      "**kubeguard: passed** (failOn high): 0 findings, 0 suppressed",
    );
    expect(renderMarkdown(manifestReport(), { title: "payments | prod" })).toMatch(
      /^## payments \\\| prod\n/,
    );
  });

  it("has a framework scores table, n/a for a framework with no applicable control", () => {
    const md = renderMarkdown(manifestReport());
    expect(md).toContain("### Framework scores");
    expect(md).toContain("| Pod Security Standards: baseline | 91.7% | 11 | 1 | 0 | 0 |");
    expect(md).toContain("| Microservices hardening: the five recommendations | n/a | 0 | 0 | 0 | 5 |");
  });

  it("lists the worst findings first by severity, then file:line", () => {
    const md = renderMarkdown(manifestReport());
    const rows = rowsBetween(md, "### Findings", "<details>");
    expect(rows.map((r) => r.split(" | ")[0]!.slice(2))).toEqual([
      "critical",
      "high",
      "medium",
      "low",
      "low",
      "info",
    ]);
    expect(rows[0]).toBe(
      '| critical | k8s/web.yaml:21 | pss.privileged | Deployment/default/web | Deployment "web": container "app" must not set securityContext.privileged=true |',
    );
    expect(rows[1]).toContain("&lt;stdin&gt;:8");
    expect(rows[2]).toContain("./k8s/my app/pod.yaml:9");
    // Same severity: ordered by file.
    expect(rows[3]).toContain("k8s/legacy.yaml:3");
    expect(rows[4]).toContain("k8s/web.yaml:18");
  });

  it("folds suppressed findings with their reason, and lists errors and warnings", () => {
    const md = renderMarkdown(manifestReport());
    expect(md).toContain(
      "<details>\n<summary>2 suppressed findings</summary>\n\n| Severity | Location | Check | Resource | Message | Suppression |",
    );
    const suppressed = rowsBetween(md, "suppressed findings</summary>", "</details>");
    expect(suppressed).toHaveLength(2);
    expect(suppressed[0]).toContain("suppressed by config: cluster operators' break-glass role");
    expect(suppressed[1]).toContain(
      "suppressed by annotation: legacy image runs as root \\(until 2030-01-01\\)",
    );
    expect(md).toContain("### Errors (1)");
    expect(md).toContain("| k8s/broken.yaml:3:7 | bad indentation of a mapping entry |  |");
    expect(md).toContain("### Warnings\n\n- The exemption of pss.privileged in .kubeguard.yaml expired");
  });

  it("shows the first findings and folds the rest in <details>", () => {
    const md = renderMarkdown(largeReport(60));
    const open = 60 - 12;
    const top = rowsBetween(md, "### Findings", "<details>");
    expect(top).toHaveLength(MARKDOWN_TOP_FINDINGS);
    expect(md).toContain(`<details>\n<summary>${open - MARKDOWN_TOP_FINDINGS} more findings</summary>`);
    const rest = rowsBetween(md, "more findings</summary>", "</details>");
    expect(rest).toHaveLength(open - MARKDOWN_TOP_FINDINGS);
    expect(md).toContain("<summary>12 suppressed findings</summary>");
    expect(md).not.toContain("not shown");
  });

  it("stays under GitHub's comment limit on a huge report, with a note on what was left out", () => {
    const md = renderMarkdown(largeReport(5000));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_LENGTH);
    expect(MARKDOWN_MAX_LENGTH).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toMatch(/_\d+ more findings not shown, to keep this comment within 65,000 characters\./);
    expect(md).toMatch(/_\d+ (more )?suppressed findings not shown/);
    // The structure still closes, and the summary is whole.
    expect(md.split("<details>").length).toBe(md.split("</details>").length);
    expect(md).toContain("**kubeguard: failed**");
    expect(md).toContain(`| Severity | Location | Check | Resource | Message |`);
    expect(md.trimEnd().endsWith("</sub>")).toBe(true);
  });

  it("honours a smaller maxLength", () => {
    for (const maxLength of [4_000, 10_000, 30_000]) {
      const md = renderMarkdown(largeReport(500), { maxLength });
      expect(md.length).toBeLessThanOrEqual(maxLength);
      expect(md).toContain("not shown");
    }
  });

  it("escapes user-controlled text so it cannot inject Markdown or HTML", () => {
    const md = renderMarkdown(hostileReport());
    expect(md).not.toContain(HOSTILE);
    expect(md).not.toContain("<img");
    expect(md).not.toContain("<b>");
    expect(md).toContain("&lt;script&gt;alert\\(1\\)&lt;/script&gt;");
    // A table row stays one row: no raw pipe or line break inside cells.
    const row = md.split("\n").find((l) => l.startsWith("| critical | k8s"))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(7);
    expect(row).toContain(
      "\\*bold\\* \\_em\\_ \\`code\\` \\[link\\]\\(http://evil.example\\) @\u200boctocat \\$x\\$ &amp;",
    );
    expect(md).not.toContain("\u001b");
    expect(md).toContain("evil\\|ns");
  });

  it("links file:line to the repository when given an http(s) base URI", () => {
    const md = renderMarkdown(manifestReport(), { baseUri: "https://github.com/org/repo/blob/abc123" });
    expect(md).toContain("[k8s/web.yaml:21](https://github.com/org/repo/blob/abc123/k8s/web.yaml#L21)");
    expect(md).toContain(
      "[./k8s/my app/pod.yaml:9](https://github.com/org/repo/blob/abc123/k8s/my%20app/pod.yaml#L9)",
    );
    // Standard input is not a repository file.
    expect(md).toContain("| &lt;stdin&gt;:8 |");
    expect(renderMarkdown(manifestReport(), { baseUri: "javascript:alert(1)//" })).not.toContain("](");
  });

  it("describes a snapshot scan with no file", () => {
    const md = renderMarkdown(snapshotReport());
    expect(md).toContain("Cluster snapshot of **prod-eu** (eks, v1.30.2), captured 2025-03-04T05:06:07Z.");
    expect(md).toContain("| critical | cluster snapshot | pss.privileged | Pod/kube-system/node-agent |");
    expect(md).toContain("The control plane of eks is managed");
  });

  it("says so when there is nothing to report", () => {
    const md = renderMarkdown(cleanReport());
    expect(md).toContain("No unsuppressed findings.");
    expect(md).not.toContain("<details>");
    expect(md).not.toContain("### Errors");
  });
});

describe("escapeMarkdown", () => {
  it("escapes punctuation, entities, line breaks and mentions, and truncates", () => {
    expect(escapeMarkdown("a|b")).toBe("a\\|b");
    expect(escapeMarkdown("<x> & y")).toBe("&lt;x&gt; &amp; y");
    expect(escapeMarkdown("one\ntwo\r\n\tthree")).toBe("one two three");
    expect(escapeMarkdown("hi @team, mail a@b.c")).toBe("hi @\u200bteam, mail a@b.c");
    expect(escapeMarkdown("abcdef", 4)).toBe("abc…");
  });
});
