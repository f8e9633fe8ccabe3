/**
 * Finds the pod a resource carries (a Pod's own metadata and spec, or a controller's template) and checks
 * the types of the fields Pod Security and the other checks read, the way the API server's typed decoding
 * would refuse them. Hand-written for speed: it runs for every workload. `null` means unset everywhere,
 * as it does for the API server; unknown fields are ignored, as the API server drops them.
 */
import { formatPath } from "./path.ts";
import type { KObject, Path, PodTemplate } from "./types.ts";
import { describeValue, isMapping } from "./values.ts";
import { VOLUME_SOURCES } from "./volumes.ts";

/** A field of the wrong type. The path is relative to the resource object. */
export interface FieldProblem {
  path: Path;
  message: string;
}

/** Where each kind keeps its pod template (Pod: the object itself). */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, Path>> = {
  Pod: [],
  PodTemplate: ["template"],
  ReplicationController: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

/** Collects problems; each check returns the value when it has the right type, `undefined` otherwise. */
class Checker {
  readonly problems: FieldProblem[] = [];

  private fail(path: Path, expected: string, v: unknown): undefined {
    this.problems.push({
      path,
      message: `${formatPath(path)}: expected ${expected}, got ${describeValue(v)}`,
    });
    return undefined;
  }

  mapping(v: unknown, path: Path): KObject | undefined {
    if (v === undefined || v === null) return undefined;
    return isMapping(v) ? v : this.fail(path, "a mapping", v);
  }

  list(v: unknown, path: Path): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? v : this.fail(path, "a list", v);
  }

  strings(v: unknown, path: Path): void {
    const xs = this.list(v, path);
    if (!xs) return;
    for (let i = 0; i < xs.length; i++) {
      if (typeof xs[i] !== "string") this.fail([...path, i], "a string", xs[i]);
    }
  }

  integers(v: unknown, path: Path): void {
    const xs = this.list(v, path);
    if (!xs) return;
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isInteger(xs[i])) this.fail([...path, i], "an integer", xs[i]);
    }
  }

  stringMap(v: unknown, path: Path): void {
    const m = this.mapping(v, path);
    if (!m) return;
    for (const k in m) {
      const x = m[k];
      if (typeof x !== "string") this.fail([...path, k], "a string", x);
    }
  }

  /** A list of mappings; calls `each` with every well-typed item. */
  mappings(v: unknown, path: Path, each?: (item: KObject, path: Path) => void): void {
    const xs = this.list(v, path);
    if (!xs) return;
    for (let i = 0; i < xs.length; i++) {
      const p = [...path, i];
      const item = xs[i];
      if (!isMapping(item)) this.fail(p, "a mapping", item);
      else each?.(item, p);
    }
  }

  /**
   * Checks the fields of `o` named in `kinds`, in the object's own order (the text's). Paths are built
   * only for what fails or is descended into. The object's keys are walked, not the schema's: objects
   * hold a few of the fields a schema names, and reading absent fields of objects of many shapes was
   * the slow part.
   */
  fields(o: KObject, path: Path, kinds: Fields): void {
    for (const k in o) {
      const kind = kinds.get(k);
      if (kind === undefined) continue;
      const v = o[k];
      if (v === undefined || v === null) continue;
      switch (kind) {
        case "string":
          if (typeof v !== "string") this.fail([...path, k], "a string", v);
          break;
        case "boolean":
          if (typeof v !== "boolean") this.fail([...path, k], "a boolean", v);
          break;
        case "integer":
          if (!Number.isInteger(v)) this.fail([...path, k], "an integer", v);
          break;
        case "intOrString":
          if (typeof v !== "string" && !Number.isInteger(v))
            this.fail([...path, k], "an integer or a string", v);
          break;
        case "mapping":
          if (!isMapping(v)) this.fail([...path, k], "a mapping", v);
          break;
        case "strings":
          if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) this.strings(v, [...path, k]);
          break;
        case "integers":
          if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) this.integers(v, [...path, k]);
          break;
        case "stringMap":
          this.stringMap(v, [...path, k]);
          break;
        case "mappings":
          if (!Array.isArray(v) || !v.every(isMapping)) this.mappings(v, [...path, k]);
          break;
        default:
          if (!isMapping(v)) this.fail([...path, k], "a mapping", v);
          else kind(this, v, [...path, k]);
      }
    }
  }
}

type FieldKind =
  | "string"
  | "boolean"
  | "integer"
  | "intOrString"
  | "strings"
  | "integers"
  | "stringMap"
  | "mapping"
  | "mappings"
  | ((c: Checker, o: KObject, path: Path) => void);

/** A schema: the kind of each field checked. */
type Fields = ReadonlyMap<string, FieldKind>;

function fieldsOf(kinds: Readonly<Record<string, FieldKind>>): Fields {
  return new Map(Object.entries(kinds));
}

const nested = (kinds: Readonly<Record<string, FieldKind>>) => {
  const compiled = fieldsOf(kinds);
  return (c: Checker, o: KObject, path: Path): void => c.fields(o, path, compiled);
};

const PROFILE = nested({ type: "string", localhostProfile: "string" });
const SE_LINUX = nested({ user: "string", role: "string", type: "string", level: "string" });
const WINDOWS = nested({
  hostProcess: "boolean",
  gmsaCredentialSpecName: "string",
  gmsaCredentialSpec: "string",
  runAsUserName: "string",
});

const CONTAINER_SECURITY = nested({
  privileged: "boolean",
  allowPrivilegeEscalation: "boolean",
  runAsNonRoot: "boolean",
  readOnlyRootFilesystem: "boolean",
  runAsUser: "integer",
  runAsGroup: "integer",
  procMount: "string",
  capabilities: nested({ add: "strings", drop: "strings" }),
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  seLinuxOptions: SE_LINUX,
  windowsOptions: WINDOWS,
});

const POD_SECURITY = nested({
  runAsNonRoot: "boolean",
  runAsUser: "integer",
  runAsGroup: "integer",
  fsGroup: "integer",
  fsGroupChangePolicy: "string",
  supplementalGroups: "integers",
  supplementalGroupsPolicy: "string",
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  seLinuxOptions: SE_LINUX,
  seLinuxChangePolicy: "string",
  windowsOptions: WINDOWS,
});

const HOST_PORT = { host: "string", port: "intOrString" } as const;
const HANDLER = nested({
  httpGet: nested({ ...HOST_PORT, path: "string", scheme: "string", httpHeaders: "mappings" }),
  tcpSocket: nested(HOST_PORT),
  exec: nested({ command: "strings" }),
  sleep: nested({ seconds: "integer" }),
});
const PROBE = nested({
  httpGet: nested({ ...HOST_PORT, path: "string", scheme: "string", httpHeaders: "mappings" }),
  tcpSocket: nested(HOST_PORT),
  exec: nested({ command: "strings" }),
  grpc: nested({ port: "integer", service: "string" }),
  initialDelaySeconds: "integer",
  periodSeconds: "integer",
  timeoutSeconds: "integer",
  successThreshold: "integer",
  failureThreshold: "integer",
});

const CONTAINER: Fields = fieldsOf({
  name: "string",
  image: "string",
  imagePullPolicy: "string",
  command: "strings",
  args: "strings",
  workingDir: "string",
  restartPolicy: "string",
  stdin: "boolean",
  tty: "boolean",
  securityContext: CONTAINER_SECURITY,
  livenessProbe: PROBE,
  readinessProbe: PROBE,
  startupProbe: PROBE,
  lifecycle: nested({ postStart: HANDLER, preStop: HANDLER }),
  resources: "mapping",
  envFrom: "mappings",
});

/* Volume sources (each must be a mapping when set) are listed in volumes.ts. */

const PORT = fieldsOf({
  containerPort: "integer",
  hostPort: "integer",
  hostIP: "string",
  name: "string",
  protocol: "string",
});
const ENV = fieldsOf({ name: "string", value: "string", valueFrom: "mapping" });
const MOUNT = fieldsOf({ name: "string", mountPath: "string", subPath: "string", readOnly: "boolean" });

function container(c: Checker, o: KObject, path: Path): void {
  c.fields(o, path, CONTAINER);
  if (o.ports != null) c.mappings(o.ports, [...path, "ports"], (port, p) => c.fields(port, p, PORT));
  if (o.env != null) c.mappings(o.env, [...path, "env"], (env, p) => c.fields(env, p, ENV));
  if (o.volumeMounts != null)
    c.mappings(o.volumeMounts, [...path, "volumeMounts"], (m, p) => c.fields(m, p, MOUNT));
}

const VOLUME_NAME = fieldsOf({ name: "string" });
const HOST_PATH = fieldsOf({ path: "string", type: "string" });

function volume(c: Checker, o: KObject, path: Path): void {
  c.fields(o, path, VOLUME_NAME);
  for (const source of VOLUME_SOURCES) {
    const v = o[source];
    if (v !== undefined && v !== null) c.mapping(v, [...path, source]);
  }
  const hostPath = o.hostPath;
  if (isMapping(hostPath)) c.fields(hostPath, [...path, "hostPath"], HOST_PATH);
}

const POD_SPEC: Fields = fieldsOf({
  hostNetwork: "boolean",
  hostPID: "boolean",
  hostIPC: "boolean",
  hostUsers: "boolean",
  shareProcessNamespace: "boolean",
  automountServiceAccountToken: "boolean",
  enableServiceLinks: "boolean",
  serviceAccountName: "string",
  serviceAccount: "string",
  nodeName: "string",
  runtimeClassName: "string",
  priorityClassName: "string",
  restartPolicy: "string",
  dnsPolicy: "string",
  schedulerName: "string",
  hostname: "string",
  subdomain: "string",
  nodeSelector: "stringMap",
  tolerations: "mappings",
  imagePullSecrets: "mappings",
  os: nested({ name: "string" }),
});

const POD_METADATA = fieldsOf({
  name: "string",
  namespace: "string",
  labels: "stringMap",
  annotations: "stringMap",
});
const SYSCTL = fieldsOf({ name: "string", value: "string" });
const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

/** Checks a pod (or template) `metadata` and `spec` at `path` inside the resource. */
function checkPod(c: Checker, metadata: KObject, spec: KObject, path: Path): void {
  c.fields(metadata, [...path, "metadata"], POD_METADATA);
  const sp = [...path, "spec"];
  c.fields(spec, sp, POD_SPEC);
  for (const list of CONTAINER_LISTS) {
    if (spec[list] != null) c.mappings(spec[list], [...sp, list], (item, p) => container(c, item, p));
  }
  if (spec.securityContext != null) {
    const scp = [...sp, "securityContext"];
    const sc = c.mapping(spec.securityContext, scp);
    if (sc) {
      POD_SECURITY(c, sc, scp);
      if (sc.sysctls != null) c.mappings(sc.sysctls, [...scp, "sysctls"], (x, p) => c.fields(x, p, SYSCTL));
    }
  }
  if (spec.volumes != null) c.mappings(spec.volumes, [...sp, "volumes"], (v, p) => volume(c, v, p));
}

/** What {@link extractPod} found: the pod when it is well-formed, and the type problems that kept it out. */
export interface PodExtraction {
  pod?: PodTemplate;
  problems: FieldProblem[];
}

/**
 * The pod template of a resource of `kind` (Pod, PodTemplate, ReplicationController, ReplicaSet,
 * Deployment, StatefulSet, DaemonSet, Job, CronJob; any API group), with its path. No pod when the kind
 * carries none, when the template or its spec is absent, or when a field has the wrong type (then
 * `problems` says which).
 * @example extractPod(deployment, "Deployment").pod?.path // ["spec", "template"]
 */
export function extractPod(object: KObject, kind: string): PodExtraction {
  const path = POD_TEMPLATE_PATHS[kind];
  if (!path) return { problems: [] };
  const c = new Checker();
  let node: KObject | undefined = object;
  for (let i = 0; i < path.length && node; i++) {
    node = c.mapping(node[path[i] as string], path.slice(0, i + 1));
  }
  if (!node) return { problems: c.problems };
  const metadata =
    node.metadata === undefined || node.metadata === null
      ? {}
      : c.mapping(node.metadata, [...path, "metadata"]);
  const spec = c.mapping(node.spec, [...path, "spec"]);
  if (!metadata || !spec) return { problems: c.problems };
  checkPod(c, metadata, spec, path);
  if (c.problems.length > 0) return { problems: c.problems };
  return { pod: { path, metadata, spec }, problems: [] };
}
