/**
 * Node only, used by src/server.ts alone: the `fetch` outbound webhook deliveries use on Node. It
 * resolves the host itself, refuses it when any resolved address is private, loopback, link-local or
 * reserved (`isPrivateAddress`, unless `KUBEGUARD_WEBHOOK_ALLOW_PRIVATE`), and connects to an address it
 * checked, so DNS rebinding between the URL check and the connection cannot reach the internal network.
 * The URL guard (src/webhooks/url-guard.ts) has already refused private IP literals and internal names;
 * this closes the gap of public names that resolve to private addresses. (Workers need none of this:
 * their `fetch` cannot reach private addresses.) Redirects are not followed; the response body is
 * discarded, as `deliver` does.
 */
import { promises as dns, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import type { FetchLike } from "./webhooks/delivery.ts";
import { isPrivateAddress } from "./webhooks/url-guard.ts";

/** Resolves a host name to every address (the default uses the system resolver, as Node's fetch does). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

function refused(hostname: string, address: string): Error {
  return new Error(`${hostname} resolves to ${address}, a private, loopback, link-local or reserved address`);
}

/**
 * A `fetch` for webhook deliveries that checks every resolved address before connecting.
 * @example deps.fetch = guardedFetch({ allowPrivate: config.app.webhooks.allowPrivate });
 */
export function guardedFetch(opts: { allowPrivate: boolean; resolve?: Resolver }): FetchLike {
  const resolver = opts.resolve ?? systemResolver;
  const lookup = (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: LookupCallback,
  ) => {
    resolver(hostname)
      .then((found) => {
        if (!opts.allowPrivate) {
          const bad = found.find((a) => isPrivateAddress(a.address));
          if (bad) throw refused(hostname, bad.address);
        }
        const family =
          options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : Number(options.family ?? 0);
        const usable = family === 4 || family === 6 ? found.filter((a) => a.family === family) : found;
        const first = usable[0];
        if (!first) throw Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" });
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      })
      .catch((err: Error) => callback(err, ""));
  };

  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      const client = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
      if (!client) return reject(new TypeError(`unsupported protocol ${url.protocol}`));
      // Node does not call `lookup` for IP literals: check them here.
      const literal = url.hostname.replace(/^\[|\]$/g, "");
      if (isIP(literal) && !opts.allowPrivate && isPrivateAddress(literal))
        return reject(refused(literal, literal));
      const body = typeof init.body === "string" ? init.body : "";
      const headers: Record<string, string> = {
        ...(init.headers as Record<string, string> | undefined),
        "content-length": String(Buffer.byteLength(body)),
      };
      const req = client.request(url, {
        method: init.method ?? "GET",
        headers,
        lookup: lookup as never,
        agent: false,
        ...(init.signal ? { signal: init.signal } : {}),
      });
      req.on("response", (res) => {
        res.resume();
        const status = res.statusCode ?? 502;
        resolve(new Response(null, { status: status >= 200 && status <= 599 ? status : 502 }));
      });
      req.on("error", reject);
      req.end(body);
    });
}
