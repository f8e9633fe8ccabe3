/**
 * Kubeconfig resolution as kubectl does it: `--kubeconfig`, then `KUBECONFIG` (a list of files, merged
 * with the first occurrence of each name winning), then `~/.kube/config`, then the in-cluster service
 * account. Reads the environment it is given, never `process.env`, so callers and tests control it.
 */
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { type Cluster, type Context, KubeConfig, type User } from "@kubernetes/client-node";
import { KubeconfigError } from "./errors.ts";

/** Where the kubelet mounts a pod's service-account credentials. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export interface KubeconfigOptions {
  /** Explicit kubeconfig file (`--kubeconfig`); wins over everything else. */
  kubeconfig?: string;
  /** Context to use instead of the kubeconfig's `current-context` (`--context`). */
  context?: string;
  /** Environment to read `KUBECONFIG`, `HOME` and `KUBERNETES_SERVICE_*` from. */
  env?: Record<string, string | undefined>;
  /** Service-account mount for in-cluster use (tests point it at a temporary directory). */
  serviceAccountDir?: string;
}

/** A kubeconfig with its context resolved. */
export interface LoadedKubeConfig {
  kc: KubeConfig;
  /** Where it came from: a file path, several joined with the path delimiter, or `in-cluster`. */
  source: string;
  context: string;
  /** The cluster entry's name (recorded as `metadata.cluster` of a snapshot). */
  cluster: string;
  /** The API server URL without a trailing slash. */
  server: string;
}

function loadFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new KubeconfigError(
      `cannot read kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return kc;
}

/** Merge kubeconfigs as kubectl merges `KUBECONFIG`: the first file that sets a value wins. */
function merge(configs: KubeConfig[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const kc of configs) {
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    currentContext ||= kc.getCurrentContext() || undefined;
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return merged;
}

/** The in-cluster configuration, when this process runs in a pod with a service-account token. */
function inCluster(env: Record<string, string | undefined>, dir: string): KubeConfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(dir, "token");
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const namespaceFile = join(dir, "namespace");
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: "in-cluster",
        server: `https://${hostPart}:${port}`,
        caFile: join(dir, "ca.crt"),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: "in-cluster", authProvider: { name: "tokenFile", config: { tokenFile } } }],
    contexts: [
      {
        name: "in-cluster",
        cluster: "in-cluster",
        user: "in-cluster",
        ...(existsSync(namespaceFile) ? { namespace: readFileSync(namespaceFile, "utf8").trim() } : {}),
      },
    ],
    currentContext: "in-cluster",
  });
  return kc;
}

/**
 * Find and load the kubeconfig, kubectl's way, and select the context.
 *
 * @throws KubeconfigError when no configuration is found, a file is unreadable or the context is unknown.
 * @example const { kc, server } = loadKubeConfig({ context: "kind-kind", env: process.env });
 */
export function loadKubeConfig(opts: KubeconfigOptions = {}): LoadedKubeConfig {
  const env = opts.env ?? {};
  let kc: KubeConfig | undefined;
  let source: string;
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new KubeconfigError(`kubeconfig ${opts.kubeconfig} not found`);
    kc = loadFile(opts.kubeconfig);
    source = opts.kubeconfig;
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter((f) => f.length > 0);
    // kubectl skips files of the list that do not exist.
    const present = files.filter((f) => existsSync(f));
    if (present.length === 0)
      throw new KubeconfigError(`none of the KUBECONFIG files exist: ${files.join(", ")}`);
    kc = merge(present.map(loadFile));
    source = present.join(delimiter);
  } else {
    const home = env.HOME || env.USERPROFILE;
    const file = home ? join(home, ".kube", "config") : undefined;
    if (file && existsSync(file)) {
      kc = loadFile(file);
      source = file;
    } else {
      kc = inCluster(env, opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
      source = "in-cluster";
      if (!kc) {
        throw new KubeconfigError(
          "no kubeconfig found: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account",
        );
      }
    }
  }

  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const names = kc.getContexts().map((c) => c.name);
      throw new KubeconfigError(
        `context "${opts.context}" not found in ${source}${names.length ? ` (contexts: ${names.join(", ")})` : ""}`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  const context = kc.getCurrentContext();
  if (!context || !kc.getContextObject(context)) {
    throw new KubeconfigError(
      context
        ? `current-context "${context}" not found in ${source}`
        : `no current-context in ${source}: pass --context`,
    );
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server)
    throw new KubeconfigError(`context "${context}" in ${source} has no cluster with a server URL`);
  return { kc, source, context, cluster: cluster.name, server: cluster.server.replace(/\/+$/, "") };
}
