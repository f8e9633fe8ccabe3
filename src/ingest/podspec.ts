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

/**
 * Collects problems; each check returns the value when it has the right type, `undefined` otherwise.
 * The path of the node being checked is one mutable stack (`at`), pushed on the way down and popped on
 * the way up: a path array is built only for a problem, not for each of the thousands of fields that
 * are fine.
 */
class Checker {
  readonly problems: FieldProblem[] = [];
  readonly at: (string | number)[] = [];

  /** A problem at the current path, or at its child `seg`. */
  private fail(seg: string | number | undefined, expected: string, v: unknown): undefined {
    const path = seg === undefined ? [...this.at] : [...this.at, seg];
    this.problems.push({
      path,
      message: `${formatPath(path)}: expected ${expected}, got ${describeValue(v)}`,
    });
    return undefined;
  }

  /** `v`, the child `seg` of the current node, when it is a mapping (or unset). */
  mapping(v: unknown, seg: string): KObject | undefined {
    if (v === undefined || v === null) return undefined;
    return isMapping(v) ? v : this.fail(seg, "a mapping", v);
  }

  private list(v: unknown): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? v : this.fail(undefined, "a list", v);
  }

  /** The checks below run with the field itself on top of the stack. */
  private strings(v: unknown): void {
    const xs = this.list(v);
    if (!xs) return;
    for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== "string") this.fail(i, "a string", xs[i]);
  }

  private integers(v: unknown): void {
    const xs = this.list(v);
    if (!xs) return;
    for (let i = 0; i < xs.length; i++) if (!Number.isInteger(xs[i])) this.fail(i, "an integer", xs[i]);
  }

  private stringMap(v: unknown): void {
    if (v === undefined || v === null) return;
    if (!isMapping(v)) {
      this.fail(undefined, "a mapping", v);
      return;
    }
    for (const k in v) if (typeof v[k] !== "string") this.fail(k, "a string", v[k]);
  }

  /** The child list `seg` of mappings; calls `each` with every well-typed item, the item on the stack. */
  mappings(v: unknown, seg: string, each?: (item: KObject) => void): void {
    if (v === undefined || v === null) return;
    this.at.push(seg);
    const xs = this.list(v);
    if (xs) {
      for (let i = 0; i < xs.length; i++) {
        const item = xs[i];
        if (!isMapping(item)) this.fail(i, "a mapping", item);
        else if (each) {
          this.at.push(i);
          each(item);
          this.at.pop();
        }
      }
    }
    this.at.pop();
  }

  /** Runs `f` with `seg` pushed on the path. */
  within(seg: string | number, f: () => void): void {
    this.at.push(seg);
    f();
    this.at.pop();
  }

  /**
   * Checks the fields of `o` (the current node) named in `kinds`, in the object's own order (the
   * text's). The object's keys are walked, not the schema's: objects hold a few of the fields a schema
   * names, and reading absent fields of objects of many shapes was the slow part.
   */
  fields(o: KObject, kinds: Fields): void {
    for (const k in o) {
      const kind = kinds.get(k);
      if (kind === undefined) continue;
      const v = o[k];
      if (v === undefined || v === null) continue;
      switch (kind) {
        case "string":
          if (typeof v !== "string") this.fail(k, "a string", v);
          break;
        case "boolean":
          if (typeof v !== "boolean") this.fail(k, "a boolean", v);
          break;
        case "integer":
          if (!Number.isInteger(v)) this.fail(k, "an integer", v);
          break;
        case "intOrString":
          if (typeof v !== "string" && !Number.isInteger(v)) this.fail(k, "an integer or a string", v);
          break;
        case "mapping":
          if (!isMapping(v)) this.fail(k, "a mapping", v);
          break;
        case "strings":
          if (!Array.isArray(v) || v.some(notString)) this.within(k, () => this.strings(v));
          break;
        case "integers":
          if (!Array.isArray(v) || !v.every(Number.isInteger)) this.within(k, () => this.integers(v));
          break;
        case "stringMap":
          this.at.push(k);
          this.stringMap(v);
          this.at.pop();
          break;
        case "mappings":
          if (!Array.isArray(v) || !v.every(isMapping)) this.mappings(v, k);
          break;
        default:
          if (!isMapping(v)) this.fail(k, "a mapping", v);
          else {
            this.at.push(k);
            kind(this, v);
            this.at.pop();
          }
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
  | ((c: Checker, o: KObject) => void);

const notString = (x: unknown): boolean => typeof x !== "string";

/** A schema: the kind of each field checked. */
type Fields = ReadonlyMap<string, FieldKind>;

function fieldsOf(kinds: Readonly<Record<string, FieldKind>>): Fields {
  return new Map(Object.entries(kinds));
}

const nested = (kinds: Readonly<Record<string, FieldKind>>) => {
  const compiled = fieldsOf(kinds);
  return (c: Checker, o: KObject): void => c.fields(o, compiled);
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

function container(c: Checker, o: KObject): void {
  c.fields(o, CONTAINER);
  if (o.ports != null) c.mappings(o.ports, "ports", (port) => c.fields(port, PORT));
  if (o.env != null) c.mappings(o.env, "env", (env) => c.fields(env, ENV));
  if (o.volumeMounts != null) c.mappings(o.volumeMounts, "volumeMounts", (m) => c.fields(m, MOUNT));
}

const VOLUME_NAME = fieldsOf({ name: "string" });
const HOST_PATH = fieldsOf({ path: "string", type: "string" });

function volume(c: Checker, o: KObject): void {
  c.fields(o, VOLUME_NAME);
  for (const source of VOLUME_SOURCES) {
    const v = o[source];
    if (v !== undefined && v !== null) c.mapping(v, source);
  }
  const hostPath = o.hostPath;
  if (isMapping(hostPath)) c.within("hostPath", () => c.fields(hostPath, HOST_PATH));
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

/** Checks a pod (or template) `metadata` and `spec`; the template's path is on the checker's stack. */
function checkPod(c: Checker, metadata: KObject, spec: KObject): void {
  c.within("metadata", () => c.fields(metadata, POD_METADATA));
  c.within("spec", () => {
    c.fields(spec, POD_SPEC);
    for (const list of CONTAINER_LISTS) {
      if (spec[list] != null) c.mappings(spec[list], list, (item) => container(c, item));
    }
    if (spec.securityContext != null) {
      const sc = c.mapping(spec.securityContext, "securityContext");
      if (sc) {
        c.within("securityContext", () => {
          POD_SECURITY(c, sc);
          if (sc.sysctls != null) c.mappings(sc.sysctls, "sysctls", (x) => c.fields(x, SYSCTL));
        });
      }
    }
    if (spec.volumes != null) c.mappings(spec.volumes, "volumes", (v) => volume(c, v));
  });
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
    const seg = path[i] as string;
    node = c.mapping(node[seg], seg);
    c.at.push(seg);
  }
  if (!node) return { problems: c.problems };
  const metadata =
    node.metadata === undefined || node.metadata === null ? {} : c.mapping(node.metadata, "metadata");
  const spec = c.mapping(node.spec, "spec");
  if (!metadata || !spec) return { problems: c.problems };
  checkPod(c, metadata, spec);
  if (c.problems.length > 0) return { problems: c.problems };
  return { pod: { path, metadata, spec }, problems: [] };
}
