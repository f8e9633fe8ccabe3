/**
 * `takeSnapshot`: a read-only snapshot of a live cluster in the documented `ClusterSnapshot` format
 * (docs/snapshot.md, docs/schema/cluster-snapshot.v1.json) that the scan engine and `POST /v1/scans`
 * accept. Lists every kind in resources.ts with pagination and bounded concurrency; Secrets are listed
 * as metadata only and never carry a value; a kind the cluster does not serve is skipped, one the
 * credentials may not list becomes a warning. Entry-side code: it does network and file I/O.
 */
import type { KObject } from "../ingest/types.ts";
import { KubeClient, PARTIAL_METADATA_LIST, statusMessage } from "./client.ts";
import { readEncryptionConfig } from "./encryption-config.ts";
import { detectProvider } from "./provider.ts";
import {
  apiVersionOf,
  CONFIGMAPS_WITH_DATA,
  type KindSpec,
  listPath,
  SECRET_TYPES,
  SNAPSHOT_KINDS,
} from "./resources.ts";
import { sanitizeItem } from "./sanitize.ts";

export { ClusterUnreachableError, EncryptionConfigError, KubeconfigError } from "./errors.ts";

/** `apiVersion` of the snapshot document. */
export const SNAPSHOT_API_VERSION = "kubeguard.dev/v1";

/** `metadata` of a snapshot: where and when it was taken, and what it could not see. */
export interface ClusterSnapshotMetadata {
  /** The kubeconfig's cluster entry name (`in-cluster` inside a pod). */
  cluster: string;
  /** RFC 3339 time the snapshot was started. */
  capturedAt: string;
  /** The API server's `gitVersion` (`v1.32.2`, `v1.30.4-eks-a737599`), `unknown` when it would not say. */
  serverVersion: string;
  /** `eks`, `gke`, `aks`, `kind`, `k3s`, `kubeadm` or `unknown`. */
  provider: string;
  /** What could not be listed (`cannot list secrets: forbidden (403)`); empty when the snapshot is complete. */
  warnings: string[];
  /** Present when the snapshot was limited to these namespaces (`--namespace`). */
  namespaces?: string[];
}

/** A cluster snapshot (`kind: ClusterSnapshot`): items are plain Kubernetes objects with apiVersion and kind. */
export interface ClusterSnapshot {
  apiVersion: typeof SNAPSHOT_API_VERSION;
  kind: "ClusterSnapshot";
  metadata: ClusterSnapshotMetadata;
  items: KObject[];
}

export interface SnapshotOptions {
  /** Kubeconfig file (`--kubeconfig`); else `KUBECONFIG`, `~/.kube/config`, the in-cluster service account. */
  kubeconfig?: string;
  /** Context (`--context`); else the kubeconfig's current-context. */
  context?: string;
  /** Limit namespaced kinds to these namespaces (`--namespace`, repeatable); cluster-scoped kinds are still listed. */
  namespaces?: string[];
  /** Path of the control plane's EncryptionConfiguration, added with key material redacted. */
  encryptionConfig?: string;
  /** Environment for kubeconfig resolution (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Called once per kind listed, with its resource name (`pods`) and item count. */
  onProgress?: (kind: string, count: number) => void;
  /** Items per list request (`limit`, default 500, as kubectl). */
  pageSize?: number;
  /** List requests in flight at once (default 4). */
  concurrency?: number;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Clock for `capturedAt` (tests). */
  now?: () => Date;
  /** Service-account mount for in-cluster use (tests). */
  serviceAccountDir?: string;
}

type ListResult =
  | { state: "ok"; items: unknown[] }
  | { state: "not-served" }
  | { state: "forbidden" }
  | { state: "failed"; status: number; message: string };

interface Selectors {
  labelSelector?: string;
  fieldSelector?: string;
  accept?: string;
}

function isObject(v: unknown): v is KObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function metaOf(o: KObject): KObject {
  return isObject(o.metadata) ? o.metadata : {};
}
function keyOf(o: unknown): string {
  const m = isObject(o) ? metaOf(o) : {};
  return `${String(m.namespace ?? "")}/${String(m.name ?? "")}`;
}

/** Run `tasks` with at most `limit` in flight; results keep the tasks' order. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

class Lister {
  constructor(
    private readonly client: KubeClient,
    private readonly pageSize: number,
  ) {}

  /** Every page of one collection, following `continue`; a 410 (expired token) restarts the list once. */
  async list(path: string, sel: Selectors = {}): Promise<ListResult> {
    let items: unknown[] = [];
    let token: string | undefined;
    let restarted = false;
    for (;;) {
      const res = await this.client.get(
        path,
        {
          limit: String(this.pageSize),
          continue: token,
          labelSelector: sel.labelSelector,
          fieldSelector: sel.fieldSelector,
        },
        sel.accept,
      );
      if (res.status === 200 && isObject(res.body) && Array.isArray(res.body.items)) {
        items = items.concat(res.body.items);
        const meta = isObject(res.body.metadata) ? res.body.metadata : {};
        token = typeof meta.continue === "string" && meta.continue !== "" ? meta.continue : undefined;
        if (!token) return { state: "ok", items };
        continue;
      }
      if (res.status === 410 && token && !restarted) {
        restarted = true;
        token = undefined;
        items = [];
        continue;
      }
      if (res.status === 404) return { state: "not-served" };
      if (res.status === 403) return { state: "forbidden" };
      const reason =
        res.status === 200 ? "the answer is not a list" : (statusMessage(res.body) ?? "unexpected answer");
      return { state: "failed", status: res.status, message: reason };
    }
  }
}

function warningFor(what: string, scope: string | undefined, r: ListResult): string | undefined {
  const where = scope === undefined ? "" : ` in namespace "${scope}"`;
  if (r.state === "forbidden") return `cannot list ${what}${where}: forbidden (403)`;
  if (r.state === "failed") return `cannot list ${what}${where}: ${r.message} (${r.status})`;
  return undefined;
}

interface KindResult {
  /** `apiVersion` the kind was listed at; undefined when not served or not listable. */
  apiVersion?: string;
  items: unknown[];
  warnings: string[];
  listed: boolean;
}

/**
 * Take a snapshot of the cluster of the kubeconfig's current (or given) context.
 *
 * @throws ClusterUnreachableError when the API server cannot be reached (network, DNS, TLS, timeout) or
 *   rejects the credentials (401); KubeconfigError when no usable kubeconfig is found;
 *   EncryptionConfigError when `encryptionConfig` cannot be read or is not an EncryptionConfiguration.
 * @example
 * const snapshot = await takeSnapshot({ context: "prod", onProgress: (k, n) => console.error(`listed ${n} ${k}`) });
 * await writeFile("snapshot.json", JSON.stringify(snapshot));
 */
export async function takeSnapshot(opts: SnapshotOptions = {}): Promise<ClusterSnapshot> {
  const capturedAt = (opts.now?.() ?? new Date()).toISOString();
  // Read local input first: a bad file fails before any request is made.
  const encryption = opts.encryptionConfig ? await readEncryptionConfig(opts.encryptionConfig) : undefined;
  // Loaded lazily: @kubernetes/client-node takes ~0.3 s to import, and `kubeguard scan` imports this module.
  const { loadKubeConfig } = await import("./kubeconfig.ts");
  const loaded = loadKubeConfig({
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    env: opts.env ?? process.env,
    ...(opts.serviceAccountDir ? { serviceAccountDir: opts.serviceAccountDir } : {}),
  });
  const client = new KubeClient(loaded.kc, loaded.server, loaded.context, {
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const lister = new Lister(client, opts.pageSize ?? 500);
  const namespaces = opts.namespaces?.length ? [...new Set(opts.namespaces)] : undefined;
  const scopes: (string | undefined)[] = namespaces ?? [undefined];
  const warnings: string[] = [];

  // /version first: it is readable by any authenticated user, so it tests reachability and credentials.
  const version = await client.get("/version");
  let serverVersion = "unknown";
  if (version.status === 200 && isObject(version.body) && typeof version.body.gitVersion === "string") {
    serverVersion = version.body.gitVersion;
  } else {
    warnings.push(`cannot read the server version (${version.status})`);
  }
  const served = await discoverGroups(client);

  const listKind = async (spec: KindSpec): Promise<KindResult> => {
    const known = spec.optional && served ? served.get(spec.group) : undefined;
    if (spec.optional && served && !known) return { items: [], warnings: [], listed: false };
    const versions = known ? spec.versions.filter((v) => known.has(v)) : spec.versions;
    for (const version of versions) {
      const out: KindResult = {
        apiVersion: apiVersionOf(spec.group, version),
        items: [],
        warnings: [],
        listed: false,
      };
      let notServed = 0;
      const kindScopes = spec.namespaced ? scopes : [undefined];
      for (const scope of kindScopes) {
        const r = await lister.list(
          listPath(spec, version, scope),
          spec.metadataOnly ? { accept: PARTIAL_METADATA_LIST } : {},
        );
        if (r.state === "not-served") notServed++;
        else if (r.state === "ok") {
          out.items.push(...r.items);
          out.listed = true;
        } else out.warnings.push(warningFor(spec.plural, scope, r) as string);
      }
      if (notServed === kindScopes.length) continue;
      if (out.listed && spec.kind === "Secret")
        out.warnings.push(...(await typeSecrets(lister, spec, version, scopes, out.items)));
      if (out.listed && spec.kind === "ConfigMap") {
        out.warnings.push(
          ...(await configMapsWithData(lister, spec, version, out, namespaces !== undefined)),
        );
      }
      return out;
    }
    return { items: [], warnings: [], listed: false };
  };

  const results = await pool(
    SNAPSHOT_KINDS.map((spec) => async () => {
      const r = await listKind(spec);
      if (r.listed) opts.onProgress?.(spec.plural, r.items.length);
      return r;
    }),
    opts.concurrency ?? 4,
  );

  const items: KObject[] = [];
  for (const [i, spec] of SNAPSHOT_KINDS.entries()) {
    const r = results[i] as KindResult;
    warnings.push(...r.warnings);
    if (!r.apiVersion) continue;
    let raw = r.items;
    if (spec.kind === "Namespace" && namespaces && r.listed) {
      const present = new Set(raw.map((o) => (isObject(o) ? String(metaOf(o).name) : "")));
      for (const ns of namespaces) if (!present.has(ns)) warnings.push(`namespace "${ns}" not found`);
      raw = raw.filter((o) => isObject(o) && namespaces.includes(String(metaOf(o).name)));
    }
    if (spec.kind === "Pod" && namespaces && !namespaces.includes("kube-system")) {
      // The encryption checks read the kube-apiserver's flags even when the snapshot is limited.
      const r2 = await lister.list("/api/v1/namespaces/kube-system/pods", {
        labelSelector: "component=kube-apiserver",
      });
      if (r2.state === "ok") raw = raw.concat(r2.items);
      else if (r2.state !== "not-served")
        warnings.push(warningFor("kube-apiserver pods", "kube-system", r2) as string);
    }
    const apiVersion = r.apiVersion;
    const seen = new Set<string>();
    const kindItems: KObject[] = [];
    for (const o of raw) {
      const withData =
        spec.kind === "ConfigMap" &&
        isObject(o) &&
        "data" in o &&
        CONFIGMAPS_WITH_DATA.includes(String(metaOf(o).name));
      const item = sanitizeItem(o, apiVersion, spec.kind, {
        dropData: spec.kind === "ConfigMap" && !withData,
      });
      const key = keyOf(item);
      if (seen.has(key)) continue;
      seen.add(key);
      kindItems.push(item);
    }
    kindItems.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    items.push(...kindItems);
  }
  if (encryption) items.push(encryption);

  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: "ClusterSnapshot",
    metadata: {
      cluster: loaded.cluster,
      capturedAt,
      serverVersion,
      provider: detectProvider(serverVersion, items),
      warnings,
      ...(namespaces ? { namespaces } : {}),
    },
    items,
  };
}

/** The API groups and versions the server serves (`/apis`), or undefined when discovery is not readable. */
async function discoverGroups(client: KubeClient): Promise<Map<string, Set<string>> | undefined> {
  const res = await client.get("/apis");
  if (res.status !== 200 || !isObject(res.body) || !Array.isArray(res.body.groups)) return undefined;
  const served = new Map<string, Set<string>>();
  for (const g of res.body.groups) {
    if (!isObject(g) || typeof g.name !== "string" || !Array.isArray(g.versions)) continue;
    served.set(
      g.name,
      new Set(g.versions.flatMap((v) => (isObject(v) && typeof v.version === "string" ? [v.version] : []))),
    );
  }
  return served;
}

/**
 * PartialObjectMetadata has no `type`, and the checks need it (hand-managed `Opaque` Secrets vs
 * service-account tokens, TLS, Helm releases). Secrets support a `type` field selector, so list the
 * well-known types, metadata only again, until every Secret is accounted for. A Secret of another
 * type keeps no `type` field (docs/snapshot.md).
 */
async function typeSecrets(
  lister: Lister,
  spec: KindSpec,
  version: string,
  scopes: (string | undefined)[],
  items: unknown[],
): Promise<string[]> {
  const untyped = new Map<string, KObject>();
  for (const o of items) if (isObject(o) && typeof o.type !== "string") untyped.set(keyOf(o), o);
  for (const type of SECRET_TYPES) {
    if (untyped.size === 0) break;
    for (const scope of scopes) {
      const r = await lister.list(listPath(spec, version, scope), {
        accept: PARTIAL_METADATA_LIST,
        fieldSelector: `type=${type}`,
      });
      if (r.state !== "ok") return [warningFor(`secrets by type`, scope, r) ?? `cannot list secrets by type`];
      for (const o of r.items) {
        const target = untyped.get(keyOf(o));
        if (!target) continue;
        target.type = type;
        untyped.delete(keyOf(o));
      }
    }
  }
  return [];
}

/**
 * Replace the metadata of ConfigMaps the checks read (`cilium-config`, in any namespace) with the full
 * object. Listed cluster-wide by name, so a snapshot limited to some namespaces still has them.
 */
async function configMapsWithData(
  lister: Lister,
  spec: KindSpec,
  version: string,
  out: KindResult,
  limited: boolean,
): Promise<string[]> {
  const warnings: string[] = [];
  for (const name of CONFIGMAPS_WITH_DATA) {
    if (!limited && !out.items.some((o) => isObject(o) && metaOf(o).name === name)) continue;
    const r = await lister.list(listPath(spec, version), { fieldSelector: `metadata.name=${name}` });
    if (r.state !== "ok") {
      if (r.state !== "not-served")
        warnings.push(warningFor(`configmaps named ${name}`, undefined, r) as string);
      continue;
    }
    const full = new Map(r.items.map((o) => [keyOf(o), o]));
    out.items = out.items.map((o) => {
      const k = keyOf(o);
      const f = full.get(k);
      full.delete(k);
      return f ?? o;
    });
    out.items.push(...full.values());
  }
  return warnings;
}
