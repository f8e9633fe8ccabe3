/**
 * SSRF guard for outbound webhook URLs: a tenant must not be able to make the service call into the
 * service's own network (loopback, the cluster, the cloud metadata endpoint) by registering a webhook.
 *
 * `checkWebhookUrl` runs when an endpoint is registered and again before each delivery. It refuses:
 * - schemes other than `https:` (`http:` only with `allowHttp`, for local development);
 * - user names and passwords in the URL;
 * - unless `allowPrivate`: IP literals that are not globally reachable (see `isPrivateAddress`), in
 *   every spelling the WHATWG URL parser accepts: it normalises decimal, octal, hex and short IPv4
 *   forms (`http://2130706433/`, `http://0x7f.1/`, `http://0177.0.0.1/` are all `127.0.0.1`) and
 *   IPv6 (`[::ffff:127.0.0.1]` becomes `[::ffff:7f00:1]`), so the checks below see one canonical form;
 * - unless `allowPrivate`: names that only resolve inside a network: `localhost` and `*.localhost`,
 *   `*.internal` (so `metadata.google.internal`), `*.local` (mDNS, `*.svc.cluster.local`), `*.svc`,
 *   `*.localdomain`, `*.home.arpa`, and single-label names (`http://kubernetes/`, `http://metadata/`),
 *   which resolve through the resolver's search domains.
 *
 * DNS is out of scope for a pure check: a public name can resolve to a private address (wildcard
 * services such as nip.io, or DNS rebinding between check and connect). On Cloudflare Workers that is
 * harmless, since Workers' `fetch` cannot reach private addresses. On Node the delivery code must
 * resolve the name itself, refuse it if any address `isPrivateAddress`, and connect to the address it
 * checked (for example an undici `Agent` whose `connect.lookup` filters with `isPrivateAddress`), so the
 * check and the connection use the same resolution. Redirects are not followed by `deliver` for the
 * same reason.
 */

export interface UrlGuardOptions {
  /** Accept `http:` as well as `https:` (local development only). */
  allowHttp?: boolean;
  /** Accept private, loopback, link-local and internal hosts (local development, tests). */
  allowPrivate?: boolean;
  /** Longest URL accepted, in characters (default 2048). */
  maxLength?: number;
}

export type UrlCheckResult = { ok: true; url: URL } | { ok: false; reason: string };

const DEFAULT_MAX_LENGTH = 2048;

/**
 * Checks a webhook URL against the rules in the module comment. The returned `url` is the parsed,
 * normalised URL; deliver to `url.href`.
 *
 * @example
 * checkWebhookUrl("https://hooks.example.com/kubeguard", {}); // { ok: true, url }
 * checkWebhookUrl("http://169.254.169.254/latest/meta-data/", { allowHttp: true });
 * // { ok: false, reason: "host 169.254.169.254 is a private, loopback, link-local or reserved address" }
 */
export function checkWebhookUrl(url: string, opts: UrlGuardOptions = {}): UrlCheckResult {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  if (typeof url !== "string" || url.length === 0) return { ok: false, reason: "URL is empty" };
  if (url.length > maxLength) return { ok: false, reason: `URL is longer than ${maxLength} characters` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (parsed.protocol !== "https:" && !(opts.allowHttp && parsed.protocol === "http:")) {
    return { ok: false, reason: opts.allowHttp ? "URL must use https or http" : "URL must use https" };
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return { ok: false, reason: "URL must not contain a user name or password" };
  }
  const host = parsed.hostname;
  if (host === "") return { ok: false, reason: "URL has no host" };
  if (opts.allowPrivate) return { ok: true, url: parsed };

  if (host.startsWith("[") || parseIPv4(host) !== undefined) {
    if (isPrivateAddress(host)) {
      return { ok: false, reason: `host ${host} is a private, loopback, link-local or reserved address` };
    }
    return { ok: true, url: parsed };
  }
  if (isInternalHostname(host)) return { ok: false, reason: `host ${host} is a local or internal name` };
  return { ok: true, url: parsed };
}

const INTERNAL_SUFFIXES = [".localhost", ".internal", ".local", ".svc", ".localdomain", ".home.arpa"];

/**
 * Whether a host name (not an IP literal) only makes sense inside a network: `localhost`, the
 * suffixes listed in the module comment, single-label names, and the empty name. Trailing dots are
 * ignored (`localhost.` is `localhost`).
 *
 * @example
 * isInternalHostname("metadata.google.internal"); // true
 * isInternalHostname("hooks.slack.com"); // false
 */
export function isInternalHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, "");
  if (name === "" || !name.includes(".")) return true;
  return INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** IPv4 ranges that are not globally reachable (IANA special-purpose registry), as [base, prefix length]. */
const PRIVATE_V4: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, incl. 169.254.169.254 cloud metadata
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation (TEST-NET-1)
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation (TEST-NET-2)
  ["203.0.113.0", 24], // documentation (TEST-NET-3)
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. 255.255.255.255 broadcast
];

const PRIVATE_V4_MASKS = PRIVATE_V4.map(([base, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: parseIPv4(base)!, mask };
});

function isPrivateV4(addr: number): boolean {
  return PRIVATE_V4_MASKS.some(({ base, mask }) => (addr & mask) >>> 0 === base);
}

function isPrivateV6(h: readonly number[]): boolean {
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0] = h;
  const v4 = ((h6 << 16) | h7) >>> 0;
  const first64Zero = h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0;
  // ::/96: unspecified (::), loopback (::1) and the deprecated IPv4-compatible addresses.
  if (first64Zero && h4 === 0 && h5 === 0) return true;
  // ::ffff:0:0/96 IPv4-mapped and ::ffff:0:0:0/96 IPv4-translated: the IPv4 address decides.
  if (first64Zero && ((h4 === 0 && h5 === 0xffff) || (h4 === 0xffff && h5 === 0))) return isPrivateV4(v4);
  // 64:ff9b::/96 NAT64: the IPv4 address decides.
  if (h0 === 0x64 && h1 === 0xff9b && h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0) return isPrivateV4(v4);
  // 2002::/16 6to4: the IPv4 address is in bits 16-47.
  if (h0 === 0x2002) return isPrivateV4(((h1 << 16) | h2) >>> 0);
  // Outside 2000::/3 (global unicast) nothing is globally reachable: fc00::/7 unique local, fe80::/10
  // link-local, fec0::/10 site-local, ff00::/8 multicast, 100::/64 discard, 64:ff9b:1::/48 local NAT64.
  if ((h0 & 0xe000) !== 0x2000) return true;
  // 2001::/23 IETF protocol assignments (Teredo, benchmarking, ORCHID), 2001:db8::/32 and 3fff::/20 documentation.
  if (h0 === 0x2001 && h1 < 0x0200) return true;
  if (h0 === 0x2001 && h1 === 0x0db8) return true;
  if (h0 === 0x3fff && h1 < 0x1000) return true;
  return false;
}

/**
 * Whether an IP address is not a safe webhook destination: loopback, private, link-local (with cloud
 * metadata), CGNAT, unspecified, multicast, broadcast, documentation, benchmarking and other reserved
 * ranges, in IPv4 and IPv6; IPv4-mapped, IPv4-translated, NAT64 and 6to4 IPv6 addresses are judged by
 * the IPv4 address inside. Takes dotted-quad IPv4 and any IPv6 text form (brackets and a `%zone`
 * allowed), as a resolver returns them. Anything else, including IPv4 with leading zeros, returns
 * true: this is for checking resolved addresses, so it fails closed.
 *
 * @example
 * isPrivateAddress("10.1.2.3"); // true
 * isPrivateAddress("::ffff:127.0.0.1"); // true
 * isPrivateAddress("93.184.215.14"); // false
 * isPrivateAddress("2606:4700::1111"); // false
 */
export function isPrivateAddress(ip: string): boolean {
  const v4 = parseIPv4(ip);
  if (v4 !== undefined) return isPrivateV4(v4);
  const v6 = parseIPv6(ip);
  if (v6 !== undefined) return isPrivateV6(v6);
  return true;
}

/** Strict dotted-quad IPv4 (no leading zeros) as an unsigned 32-bit number. */
function parseIPv4(s: string): number | undefined {
  const m = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/.exec(s);
  if (!m) return undefined;
  let out = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    out = out * 256 + octet;
  }
  return out;
}

/** IPv6 text (RFC 4291 §2.2, optional brackets and zone) as eight 16-bit groups. */
function parseIPv6(input: string): number[] | undefined {
  let s = input;
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(":")) return undefined;
  const lastColon = s.lastIndexOf(":");
  const tail = s.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = parseIPv4(tail);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const groups: number[] = [];
    for (const g of part.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(Number.parseInt(g, 16));
    }
    return groups;
  };
  const head = parseGroups(halves[0] ?? "");
  if (!head) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const rest = parseGroups(halves[1] ?? "");
  if (!rest || head.length + rest.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
}
