/**
 * The SSRF guard: a table of webhook URLs allowed and refused, the WHATWG normalisations it relies on,
 * the options, and isPrivateAddress over resolver-style addresses.
 */
import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isInternalHostname, isPrivateAddress } from "../../src/webhooks/url-guard.ts";

describe("the WHATWG URL parser normalises IPv4 and IPv6 spellings (what the guard relies on)", () => {
  it.each([
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://017700000001/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://%31%32%37.0.0.1/", "127.0.0.1"],
    ["http://127.0.0.1./", "127.0.0.1"],
    ["http://0/", "0.0.0.0"],
    ["http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"],
    ["http://[0:0:0:0:0:ffff:7f00:1]/", "[::ffff:7f00:1]"],
    ["http://LOCALHOST/", "localhost"],
  ])("%s → %s", (url, host) => {
    expect(new URL(url).hostname).toBe(host);
  });
});

const ALLOWED = [
  "https://hooks.slack.com/services/T000/B000/XXXX",
  "https://example.com/",
  "https://example.com:8443/kubeguard?x=1#frag",
  "https://api.github.com/repos/acme/shop/dispatches",
  "https://xn--bcher-kva.example/hook",
  "https://bücher.example/hook",
  "https://8.8.8.8/hook",
  "https://1.1.1.1/",
  "https://93.184.215.14/",
  "https://[2606:4700:4700::1111]/",
  "https://[2001:4860:4860::8888]/dns",
  "https://[::ffff:8.8.8.8]/",
  "https://[64:ff9b::808:808]/",
  "https://[2002:808:808::1]/",
  "https://172.32.0.1/", // just outside 172.16/12
  "https://100.128.0.1/", // just outside 100.64/10
  "https://169.255.0.1/",
  "https://11.0.0.1/",
  "https://internal.example.com/", // "internal" as a label, not the suffix
  "https://localhost.example.com/",
  "https://example.com./",
];

const REFUSED: [string, RegExp][] = [
  ["http://example.com/", /https/],
  ["ftp://example.com/", /https/],
  ["file:///etc/passwd", /https/],
  ["javascript:alert(1)", /https/],
  ["data:text/plain,hi", /https/],
  ["wss://example.com/", /https/],
  ["not a url", /valid/],
  ["/relative/path", /valid/],
  ["", /empty/],
  [`https://example.com/${"a".repeat(2100)}`, /longer/],
  ["https://user:pass@example.com/", /user name/],
  ["https://user@example.com/", /user name/],
  ["https://:pass@example.com/", /user name/],
  ["https://127.0.0.1/", /private/],
  ["https://127.255.255.254/", /private/],
  ["https://2130706433/", /private/],
  ["https://0x7f000001/", /private/],
  ["https://017700000001/", /private/],
  ["https://0177.0.0.1/", /private/],
  ["https://127.1/", /private/],
  ["https://0/", /private/],
  ["https://0.0.0.0/", /private/],
  ["https://10.0.0.1/", /private/],
  ["https://10.255.255.255/", /private/],
  ["https://172.16.0.1/", /private/],
  ["https://172.31.255.255/", /private/],
  ["https://192.168.1.1/", /private/],
  ["https://169.254.169.254/latest/meta-data/", /private/],
  ["https://169.254.0.1/", /private/],
  ["https://100.64.0.1/", /private/],
  ["https://100.127.255.255/", /private/],
  ["https://224.0.0.1/", /private/],
  ["https://239.255.255.250/", /private/],
  ["https://255.255.255.255/", /private/],
  ["https://240.0.0.1/", /private/],
  ["https://192.0.2.10/", /private/],
  ["https://198.18.0.1/", /private/],
  ["https://[::1]/", /private/],
  ["https://[::]/", /private/],
  ["https://[0:0:0:0:0:0:0:1]/", /private/],
  ["https://[::ffff:127.0.0.1]/", /private/],
  ["https://[::ffff:7f00:1]/", /private/],
  ["https://[::ffff:169.254.169.254]/", /private/],
  ["https://[::ffff:10.0.0.1]/", /private/],
  ["https://[::127.0.0.1]/", /private/],
  ["https://[64:ff9b::7f00:1]/", /private/],
  ["https://[2002:7f00:1::]/", /private/],
  ["https://[2002:a9fe:a9fe::1]/", /private/],
  ["https://[fc00::1]/", /private/],
  ["https://[fd12:3456:789a::1]/", /private/],
  ["https://[fe80::1]/", /private/],
  ["https://[febf::1]/", /private/],
  ["https://[fec0::1]/", /private/],
  ["https://[ff02::1]/", /private/],
  ["https://[2001:db8::1]/", /private/],
  ["https://[2001::1]/", /private/],
  ["https://[fd00:ec2::254]/", /private/], // AWS IMDS over IPv6
  ["https://localhost/", /internal/],
  ["https://LOCALHOST./", /internal/],
  ["https://localhost:8080/", /internal/],
  ["https://api.localhost/", /internal/],
  ["https://metadata.google.internal/computeMetadata/v1/", /internal/],
  ["https://metadata.google.internal./", /internal/],
  ["https://foo.internal/", /internal/],
  ["https://kubernetes/", /internal/],
  ["https://metadata/", /internal/],
  ["https://kubernetes.default.svc/", /internal/],
  ["https://api.kube-system.svc.cluster.local/", /internal/],
  ["https://printer.local/", /internal/],
  ["https://router.home.arpa/", /internal/],
  ["https://host.localdomain/", /internal/],
];

describe("checkWebhookUrl", () => {
  it("has a table of at least 30 URLs each way", () => {
    expect(ALLOWED.length).toBeGreaterThanOrEqual(20);
    expect(REFUSED.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ALLOWED)("allows %s", (url) => {
    const r = checkWebhookUrl(url, {});
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.url).toBeInstanceOf(URL);
  });

  it.each(REFUSED)("refuses %s", (url, reason) => {
    const r = checkWebhookUrl(url, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it("returns the normalised URL", () => {
    const r = checkWebhookUrl("HTTPS://Hooks.Example.COM:443/a/../b", {});
    expect(r.ok && r.url.href).toBe("https://hooks.example.com/b");
  });

  it("allows http only with allowHttp", () => {
    expect(checkWebhookUrl("http://example.com/", { allowHttp: true }).ok).toBe(true);
    expect(checkWebhookUrl("http://127.0.0.1:8080/", { allowHttp: true })).toMatchObject({ ok: false });
    expect(checkWebhookUrl("ftp://example.com/", { allowHttp: true })).toMatchObject({
      ok: false,
      reason: "URL must use https or http",
    });
  });

  it("allows private and internal hosts only with allowPrivate", () => {
    for (const url of [
      "https://127.0.0.1/",
      "https://localhost/",
      "https://[::1]/",
      "https://10.0.0.1/",
      "https://kubernetes/",
    ]) {
      expect(checkWebhookUrl(url, { allowPrivate: true }).ok).toBe(true);
    }
    expect(checkWebhookUrl("http://127.0.0.1:9000/hook", { allowHttp: true, allowPrivate: true }).ok).toBe(
      true,
    );
    // the scheme and credential rules still apply
    expect(checkWebhookUrl("http://127.0.0.1/", { allowPrivate: true }).ok).toBe(false);
    expect(checkWebhookUrl("https://u:p@127.0.0.1/", { allowPrivate: true }).ok).toBe(false);
  });

  it("takes a custom maximum length", () => {
    expect(checkWebhookUrl("https://example.com/abc", { maxLength: 10 }).ok).toBe(false);
    expect(checkWebhookUrl("https://example.com/abc", { maxLength: 100 }).ok).toBe(true);
  });
});

describe("isInternalHostname", () => {
  it.each([
    ["localhost", true],
    ["localhost.", true],
    ["a.b.localhost", true],
    ["metadata.google.internal", true],
    ["intranet", true],
    ["", true],
    ["x.svc", true],
    ["hooks.slack.com", false],
    ["internal.example.com", false],
    ["mylocal.com", false],
  ])("%j → %s", (name, internal) => {
    expect(isInternalHostname(name)).toBe(internal);
  });
});

describe("isPrivateAddress", () => {
  it.each([
    // IPv4
    ["127.0.0.1", true],
    ["0.0.0.0", true],
    ["10.20.30.40", true],
    ["172.16.5.4", true],
    ["172.15.255.255", false],
    ["192.168.0.1", true],
    ["192.169.0.1", false],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["100.63.255.255", false],
    ["224.0.0.251", true],
    ["255.255.255.255", true],
    ["203.0.113.5", true],
    ["8.8.8.8", false],
    ["93.184.215.14", false],
    // IPv6
    ["::1", true],
    ["::", true],
    ["[::1]", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:8.8.8.8", false],
    ["::ffff:0:a00:1", true], // IPv4-translated 10.0.0.1
    ["0:0:0:0:0:ffff:c0a8:101", true],
    ["64:ff9b::a9fe:a9fe", true],
    ["64:ff9b::8.8.8.8", false],
    ["64:ff9b:1::1", true],
    ["2002:c0a8:101::", true],
    ["2002:808:808::", false],
    ["fe80::1%eth0", true],
    ["fe80::1", true],
    ["fd00::1", true],
    ["ff05::2", true],
    ["100::1", true],
    ["2001:db8:85a3::8a2e:370:7334", true],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", true], // Teredo
    ["3fff::1", true],
    ["2606:4700:4700::1111", false],
    ["2a00:1450:4001:82b::200e", false],
    ["2001:4860:4860::8888", false],
    // not an address: fail closed
    ["example.com", true],
    ["", true],
    ["010.0.0.1", true],
    ["1.2.3", true],
    ["256.1.1.1", true],
    ["1:2:3:4:5:6:7:8:9", true],
    ["1::2::3", true],
    [":::", true],
    ["12345::1", true],
    ["::ffff:1.2.3.999", true],
  ])("%j → %s", (ip, priv) => {
    expect(isPrivateAddress(ip)).toBe(priv);
  });

  it("parses full and compressed IPv6 forms alike", () => {
    expect(isPrivateAddress("2606:4700:4700:0000:0000:0000:0000:1111")).toBe(false);
    expect(isPrivateAddress("FE80:0:0:0:0:0:0:1")).toBe(true);
    expect(isPrivateAddress("1:2:3:4:5:6:7::")).toBe(true); // 1::/16 is outside 2000::/3
    expect(isPrivateAddress("2606:4700:4700::")).toBe(false);
  });
});
