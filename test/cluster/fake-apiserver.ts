/**
 * A fake Kubernetes API server on 127.0.0.1 for the snapshot tests: it answers list calls with the
 * recorded responses under test/fixtures/cluster/recorded/, the way kube-apiserver does — bearer-token
 * authentication (401 Status), `limit`/`continue` pagination, label and field selectors, metadata-only
 * lists for `Accept: …;as=PartialObjectMetadataList;…`, 403 Status objects for forbidden resources, and
 * 404 for resources or groups it does not serve. Every request is logged for the tests to inspect.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/cluster");
export const TOKEN = "kubeguard-test-token-0f9e8d7c";

type Json = Record<string, unknown>;

export interface RecordedList {
  file: string;
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  list: { kind: string; apiVersion: string; metadata: Json; items: Json[] };
}

/** The recorded cluster, freshly read (tests may change their copy). */
export function loadRecorded(): RecordedList[] {
  const index = JSON.parse(readFileSync(join(FIXTURES, "recorded/index.json"), "utf8")) as Omit<
    RecordedList,
    "list"
  >[];
  return index.map((e) => ({
    ...e,
    list: JSON.parse(readFileSync(join(FIXTURES, "recorded", e.file), "utf8")),
  }));
}

export interface FakeOptions {
  /** Bearer token the server accepts (default TOKEN). */
  token?: string;
  /** Resource names (`networkpolicies`) answered with 403 Forbidden. */
  forbidden?: string[];
  gitVersion?: string;
  /** Change the recorded lists before serving (another fixture variant). */
  mutate?: (lists: RecordedList[]) => void;
  /** Behave like a server that ignores the metadata-only Accept header and sends full Secrets. */
  ignorePartialMetadata?: boolean;
  /** Extra group versions served without any resource in them (`cilium.io/v2alpha1`). */
  extraGroupVersions?: string[];
  /** Serve TLS with this key and certificate. */
  tls?: { key: string; cert: string };
  /** Answer the first request for these resources with this status (e.g. `{ pods: 503 }`). */
  failOnce?: Record<string, number>;
  /** Answer a continued request for these resources with 410 Gone once. */
  expireContinue?: string[];
  /** Respond to /apis with 403 (discovery hidden): the client must fall back to trying versions. */
  hideDiscovery?: boolean;
  /** Delay every answer by this many milliseconds (to observe concurrency). */
  delayMs?: number;
}

export interface LoggedRequest {
  path: string;
  query: Record<string, string>;
  accept: string;
  authorization: string;
}

export interface FakeCluster {
  url: string;
  port: number;
  requests: LoggedRequest[];
  lists: RecordedList[];
  /** Most requests that were in flight at once. */
  stats: { maxInFlight: number };
  close(): Promise<void>;
}

function status(code: number, reason: string, message: string, details?: Json): Json {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

function matchesLabels(item: Json, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels = ((item.metadata as Json).labels ?? {}) as Record<string, string>;
  return selector.split(",").every((term) => {
    const [k = "", v] = term.split("=");
    return v === undefined ? k in labels : labels[k] === v;
  });
}

function fieldValue(item: Json, field: string): string {
  const meta = item.metadata as Json;
  if (field === "metadata.name") return String(meta.name ?? "");
  if (field === "metadata.namespace") return String(meta.namespace ?? "");
  if (field === "type") return String(item.type ?? "");
  throw new Error(`field selector ${field} not supported`);
}

function matchesFields(item: Json, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const neg = term.includes("!=");
    const [k = "", v = ""] = term.split(neg ? "!=" : "=");
    return neg ? fieldValue(item, k) !== v : fieldValue(item, k) === v;
  });
}

/** Start the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeCluster(opts: FakeOptions = {}): Promise<FakeCluster> {
  const lists = loadRecorded();
  opts.mutate?.(lists);
  const token = opts.token ?? TOKEN;
  const requests: LoggedRequest[] = [];
  const failOnce = new Map(Object.entries(opts.failOnce ?? {}));
  const expire = new Set(opts.expireContinue ?? []);
  const groupVersions = new Map<string, Set<string>>();
  for (const l of lists) {
    if (!l.group) continue;
    groupVersions.set(l.group, (groupVersions.get(l.group) ?? new Set()).add(l.version));
  }
  for (const gv of opts.extraGroupVersions ?? []) {
    const [g = "", v = ""] = gv.split("/");
    groupVersions.set(g, (groupVersions.get(g) ?? new Set()).add(v));
  }

  const stats = { maxInFlight: 0 };
  let inFlight = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    res.on("finish", () => inFlight--);
    if (opts.delayMs) setTimeout(() => answer(req, res), opts.delayMs);
    else answer(req, res);
  };

  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const query = Object.fromEntries(url.searchParams.entries());
    const accept = String(req.headers.accept ?? "");
    requests.push({
      path: url.pathname,
      query,
      accept,
      authorization: String(req.headers.authorization ?? ""),
    });
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) {
      send(401, status(401, "Unauthorized", "Unauthorized"));
      return;
    }
    if (url.pathname === "/version") {
      send(200, {
        major: "1",
        minor: "32",
        gitVersion: opts.gitVersion ?? "v1.32.2",
        gitCommit: "67a30c0adcf52bd3f56ff0893ce19966be12991f",
        gitTreeState: "clean",
        buildDate: "2025-02-12T21:19:47Z",
        goVersion: "go1.23.6",
        compiler: "gc",
        platform: "linux/amd64",
      });
      return;
    }
    if (url.pathname === "/apis") {
      if (opts.hideDiscovery) {
        send(403, status(403, "Forbidden", 'forbidden: User cannot get path "/apis"'));
        return;
      }
      send(200, {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: [...groupVersions.entries()].map(([name, versions]) => {
          const vs = [...versions].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
          return { name, versions: vs, preferredVersion: vs[0] };
        }),
      });
      return;
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(
      url.pathname,
    );
    if (!m) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("404 page not found\n");
      return;
    }
    const group = m[2] ?? "";
    const version = m[1] ?? m[3] ?? "";
    const namespace = m[4];
    const resource = m[5] ?? "";
    if (group && !groupVersions.get(group)?.has(version)) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("404 page not found\n");
      return;
    }
    const entry = lists.find((l) => l.group === group && l.version === version && l.resource === resource);
    if (!entry || (namespace !== undefined && !entry.namespaced)) {
      send(404, status(404, "NotFound", "the server could not find the requested resource", {}));
      return;
    }
    if (opts.forbidden?.includes(resource)) {
      const who = 'User "system:serviceaccount:kubeguard:kubeguard-reader"';
      const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
      send(
        403,
        status(
          403,
          "Forbidden",
          `${resource}${group ? `.${group}` : ""} is forbidden: ${who} cannot list resource "${resource}" in API group "${group}" ${scope}`,
          { group, kind: resource },
        ),
      );
      return;
    }
    const once = failOnce.get(resource);
    if (once !== undefined) {
      failOnce.delete(resource);
      res.writeHead(once, { "content-type": "application/json", "retry-after": "0" });
      res.end(
        JSON.stringify(
          status(once, "ServiceUnavailable", "the server is currently unable to handle the request"),
        ),
      );
      return;
    }
    if (query.continue && expire.has(resource)) {
      expire.delete(resource);
      send(
        410,
        status(
          410,
          "Expired",
          "The provided continue parameter is too old to display a consistent list result.",
        ),
      );
      return;
    }
    const items = entry.list.items.filter(
      (i) =>
        (namespace === undefined || (i.metadata as Json).namespace === namespace) &&
        matchesLabels(i, query.labelSelector) &&
        matchesFields(i, query.fieldSelector),
    );
    const offset = query.continue
      ? (JSON.parse(Buffer.from(query.continue, "base64url").toString()) as { o: number }).o
      : 0;
    const limit = query.limit ? Number(query.limit) : 0;
    const end = limit > 0 ? Math.min(items.length, offset + limit) : items.length;
    const page = items.slice(offset, end);
    const more = end < items.length;
    const meta: Json = {
      resourceVersion: entry.list.metadata.resourceVersion,
      ...(more
        ? {
            continue: Buffer.from(
              JSON.stringify({ o: end, rv: entry.list.metadata.resourceVersion }),
            ).toString("base64url"),
            remainingItemCount: items.length - end,
          }
        : {}),
    };
    if (accept.includes("as=PartialObjectMetadataList") && !opts.ignorePartialMetadata) {
      send(200, {
        kind: "PartialObjectMetadataList",
        apiVersion: "meta.k8s.io/v1",
        metadata: meta,
        items: page.map((i) => ({
          kind: "PartialObjectMetadata",
          apiVersion: "meta.k8s.io/v1",
          metadata: i.metadata,
        })),
      });
      return;
    }
    send(200, { kind: entry.list.kind, apiVersion: entry.list.apiVersion, metadata: meta, items: page });
  };

  const server = opts.tls
    ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    lists,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig YAML for one or more contexts against fake servers. */
export function kubeconfigYaml(
  contexts: { name: string; server: string; token: string; insecure?: boolean; caFile?: string }[],
  current?: string,
): string {
  const lines = [
    "apiVersion: v1",
    "kind: Config",
    `current-context: ${current ?? contexts[0]?.name ?? ""}`,
    "clusters:",
  ];
  for (const c of contexts) {
    lines.push(`- name: ${c.name}-cluster`, "  cluster:", `    server: ${c.server}`);
    if (c.insecure ?? c.server.startsWith("http:")) lines.push("    insecure-skip-tls-verify: true");
    if (c.caFile) lines.push(`    certificate-authority: ${c.caFile}`);
  }
  lines.push("users:");
  for (const c of contexts) lines.push(`- name: ${c.name}-user`, "  user:", `    token: ${c.token}`);
  lines.push("contexts:");
  for (const c of contexts) {
    lines.push(
      `- name: ${c.name}`,
      "  context:",
      `    cluster: ${c.name}-cluster`,
      `    user: ${c.name}-user`,
    );
  }
  return `${lines.join("\n")}\n`;
}
