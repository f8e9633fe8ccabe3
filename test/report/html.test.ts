import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../src/auth/bytes.ts";
import { sha256BytesSync } from "../../src/auth/sha256-sync.ts";
import { escapeHtml, HTML_CSP, renderHtml } from "../../src/report/html.ts";
import { cspHash } from "../../src/report/sha256.ts";
import {
  cleanReport,
  HOSTILE,
  hostileReport,
  largeReport,
  manifestReport,
  snapshotReport,
} from "./fixtures.ts";

function between(html: string, open: string, close: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = html.indexOf(open, at);
    if (start < 0) return out;
    const end = html.indexOf(close, start + open.length);
    out.push(html.slice(start + open.length, end));
    at = end + close.length;
  }
}

/** Everything in the page that could load something from elsewhere. */
function externalReferences(html: string): string[] {
  const patterns = [
    /<script[^>]*\ssrc\s*=/gi,
    /<link\b/gi,
    /<img\b/gi,
    /<iframe\b/gi,
    /<object\b/gi,
    /<embed\b/gi,
    /\ssrc\s*=\s*["']?(?:https?:)?\/\//gi,
    /\shref\s*=\s*["']?(?:https?:)?\/\//gi,
    /@import/gi,
    /url\s*\(/gi,
    /@font-face/gi,
  ];
  return patterns.flatMap((p) => html.match(p) ?? []);
}

describe("renderHtml", () => {
  it("is one self-contained page: no external asset of any kind", () => {
    for (const report of [
      manifestReport(),
      snapshotReport(),
      hostileReport(),
      cleanReport(),
      largeReport(50),
    ]) {
      const html = renderHtml(report);
      expect(externalReferences(html)).toEqual([]);
      expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
      expect(html.trimEnd().endsWith("</html>")).toBe(true);
    }
  });

  it("has a strict CSP whose hashes match its only inline style and script", () => {
    const html = renderHtml(manifestReport());
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`);
    expect(HTML_CSP).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; script-src 'sha256-[A-Za-z0-9+/]+=*';/,
    );
    expect(HTML_CSP).not.toContain("unsafe");
    const styles = between(html, "<style>", "</style>");
    const scripts = between(html, "<script>", "</script>");
    expect(styles).toHaveLength(1);
    expect(scripts).toHaveLength(1);
    const hashOf = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
    expect(HTML_CSP).toContain(`style-src ${hashOf(styles[0]!)}`);
    expect(HTML_CSP).toContain(`script-src ${hashOf(scripts[0]!)}`);
    // No inline event handlers or style attributes, which the policy would block.
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
  });

  it("shows the verdict, counts and snapshot", () => {
    const html = renderHtml(manifestReport(), { title: "payments-api" });
    expect(html).toContain("<title>payments-api: failed</title>");
    expect(html).toContain('<p class="verdict failed"><strong>kubeguard: failed</strong> (failOn high)</p>');
    expect(html).toContain(
      "6 findings (1 critical, 1 high, 1 medium, 2 low, 1 info), 2 suppressed, 1 error in 4 resources.",
    );
    expect(renderHtml(cleanReport())).toContain('<p class="verdict passed">');
    expect(renderHtml(snapshotReport())).toContain(
      "Cluster snapshot of <strong>prod-eu</strong> (eks, v1.30.2), captured 2025-03-04T05:06:07Z.",
    );
  });

  it("draws the severity chart as inline SVG bars", () => {
    const html = renderHtml(manifestReport());
    const svg = between(html, '<svg role="img" aria-labelledby="severity-chart-title"', "</svg>")[0]!;
    expect(svg).toContain("Unsuppressed findings by severity: 1 critical, 1 high, 1 medium, 2 low, 1 info");
    const widths = [...svg.matchAll(/<rect x="80" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([170, 170, 170, 340, 170]);
  });

  it("draws framework scores as inline SVG, n/a without a bar", () => {
    const html = renderHtml(manifestReport());
    const svg = between(html, '<svg role="img" aria-labelledby="frameworks-chart-title"', "</svg>")[0]!;
    expect(svg).toContain("Pod Security Standards: baseline");
    expect(svg).toContain(">91.7%</text>");
    expect(svg).toContain('width="367" height="14" rx="3" fill="#1a7f37"');
    expect(svg).toContain(">n/a</text>");
    expect(svg.match(/class="track"/g)).toHaveLength(3);
    expect(svg.match(/<rect x="0" y="\d+" width="\d+" height="14" rx="3" fill=/g)).toHaveLength(2);
  });

  it("has a findings table a person can filter, readable with scripts off", () => {
    const html = renderHtml(manifestReport());
    // Controls are hidden until the script shows them; every row is in the markup.
    expect(html).toContain('<div id="controls" hidden>');
    expect(html).toContain('<input id="q" type="search"');
    expect(html).toContain(
      '<select id="sev"><option value="0">all</option><option value="4">critical</option><option value="3">high and above</option>',
    );
    expect(html).toContain('<input id="sup" type="checkbox"> show suppressed (2)');
    const rows = html.match(/<tr class="(open|suppressed)" data-rank="\d" data-suppressed="(true|false)">/g)!;
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.includes('data-suppressed="true"'))).toHaveLength(2);
    expect(html).toContain("suppressed by annotation: legacy image runs as root (until 2030-01-01)");
    expect(html).toContain("<code>./k8s/my app/pod.yaml:9</code>");
    expect(html).toContain("<code>&lt;stdin&gt;:8</code>");
  });

  it("escapes every user-controlled string", () => {
    const html = renderHtml(hostileReport(), { title: HOSTILE });
    expect(html).not.toContain(HOSTILE);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("k8s/&quot;quoted&quot; &amp; &#39;single&#39;.yaml:2");
    expect(html).toContain("<title>&lt;script&gt;alert(1)&lt;/script&gt;: failed</title>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; framework");
    expect(html).not.toContain("\u001b");
  });

  it("links locations only when given an http(s) base URI", () => {
    const html = renderHtml(manifestReport(), { baseUri: "https://github.com/org/repo/blob/abc123/" });
    expect(html).toContain(
      '<a href="https://github.com/org/repo/blob/abc123/k8s/web.yaml#L21"><code>k8s/web.yaml:21</code></a>',
    );
    // Links navigate; they load nothing.
    expect(html.match(/\shref=/g)!.length).toBe(html.match(/<a href=/g)!.length);
    expect(renderHtml(manifestReport(), { baseUri: "javascript:alert(1)//" })).not.toContain("<a ");
  });

  it("says so when there are no findings", () => {
    const html = renderHtml(cleanReport());
    expect(html).toContain("<p>No findings.</p>");
    expect(html).not.toContain('id="controls"');
  });
});

interface FakeRow {
  hidden: boolean;
  textContent: string;
  getAttribute(name: string): string | null;
}
interface FakeControl {
  hidden: boolean;
  value: string;
  checked: boolean;
  textContent: string;
  addEventListener(type: string, listener: () => void): void;
}

/** Run the page's script against the rows of its table, with just the DOM it touches. */
function runScript(html: string) {
  const rows: FakeRow[] = [
    ...html.matchAll(
      /<tr class="(?:open|suppressed)" data-rank="(\d)" data-suppressed="(true|false)">(.*?)<\/tr>/g,
    ),
  ].map((m) => {
    const attrs: Record<string, string> = { "data-rank": m[1]!, "data-suppressed": m[2]! };
    return {
      hidden: false,
      textContent: m[3]!.replace(/<[^>]+>/g, ""),
      getAttribute: (n) => attrs[n] ?? null,
    };
  });
  const listeners = new Map<string, () => void>();
  const control = (id: string, value = ""): FakeControl => ({
    hidden: true,
    value,
    checked: false,
    textContent: "",
    addEventListener: (type, listener) => listeners.set(`${id}:${type}`, listener),
  });
  const controls = {
    q: control("q"),
    sev: control("sev", "0"),
    sup: control("sup"),
    count: control("count"),
    controls: control("controls"),
  };
  const table = html.includes('<table id="findings"') ? { findings: { tBodies: [{ rows }] } } : {};
  const elements: Record<string, unknown> = { ...table, ...controls };
  const document = { getElementById: (id: string) => elements[id] ?? null };
  const script = between(html, "<script>", "</script>")[0]!;
  new Function("document", script)(document);
  const fire = (id: string, type: string) => listeners.get(`${id}:${type}`)!();
  const visible = () => rows.filter((r) => !r.hidden).length;
  return { controls, fire, visible };
}

describe("the filter script", () => {
  it("shows the controls, hides suppressed rows by default and filters by text and minimum severity", () => {
    const { controls, fire, visible } = runScript(renderHtml(manifestReport()));
    expect(controls.controls.hidden).toBe(false);
    expect(visible()).toBe(6);
    expect(controls.count.textContent).toBe("6 of 8 shown");

    controls.sup.checked = true;
    fire("sup", "change");
    expect(visible()).toBe(8);

    controls.q.value = "  WILDCARD ";
    fire("q", "input");
    expect(visible()).toBe(2);

    controls.q.value = "";
    controls.sev.value = "3";
    fire("sev", "change");
    expect(visible()).toBe(3);
    expect(controls.count.textContent).toBe("3 of 8 shown");
  });

  it("does nothing on a page without findings", () => {
    const { controls } = runScript(renderHtml(cleanReport()));
    expect(controls.controls.hidden).toBe(true);
  });
});

describe("escapeHtml", () => {
  it("escapes markup and quotes and replaces control characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
    expect(escapeHtml("a\u0000b\tc\n")).toBe("a\uFFFDb\tc\n");
  });
});

describe("sha256", () => {
  it("matches node:crypto", () => {
    for (const text of [
      "",
      "abc",
      "a".repeat(55),
      "a".repeat(56),
      "a".repeat(64),
      "ünïcödé 🚀",
      "x".repeat(1000),
    ]) {
      const expected = createHash("sha256").update(text, "utf8").digest("base64");
      expect(bytesToBase64(sha256BytesSync(text))).toBe(expected);
      expect(cspHash(text)).toBe(`'sha256-${expected}'`);
    }
  });

  it("encodes base64 with padding", () => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    expect(bytesToBase64(utf8("f"))).toBe("Zg==");
    expect(bytesToBase64(utf8("fo"))).toBe("Zm8=");
    expect(bytesToBase64(utf8("foo"))).toBe("Zm9v");
  });
});
