/**
 * Tables of small pods with the library's exact messages, for what the upstream fixtures do not cover:
 * AppArmor fields, container_engine_t, user namespaces, Windows pods at v1.25–v1.28, ephemeral
 * containers, image/csi/ephemeral volumes, sort orders, version clamping and field paths.
 */
import { describe, expect, it } from "vitest";
import type { KObject } from "../../ingest/types.ts";
import type { PssLevel } from "../types.ts";
import { evaluatePss, formatPssMessage, NEWEST_PSS_MINOR, parsePssVersion, pssCheckId } from "./index.ts";

type Spec = KObject;

/** The minimal valid restricted pod at latest: pod-level runAsNonRoot and seccomp, hardened containers. */
function restrictedContainer(name: string, extra: KObject = {}): KObject {
  return {
    name,
    image: "registry.k8s.io/pause",
    ...extra,
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      ...((extra.securityContext as KObject | undefined) ?? {}),
    },
  };
}

function restrictedSpec(extra: Spec = {}): Spec {
  return {
    containers: [restrictedContainer("app")],
    ...extra,
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
      ...((extra.securityContext as KObject | undefined) ?? {}),
    },
  };
}

function message(level: PssLevel, version: string, spec: Spec, metadata: KObject = {}): string {
  return evaluatePss({ metadata, spec }, level, version).message;
}

interface Case {
  name: string;
  level: PssLevel;
  version: string;
  spec: Spec;
  metadata?: KObject;
  /** The aggregate detail; "" means allowed. */
  want: string;
}

const cases: Case[] = [
  // appArmorProfile fields (not covered by the fixtures) and annotations.
  {
    name: "pod appArmorProfile Unconfined",
    level: "baseline",
    version: "v1.0",
    spec: { containers: [{ name: "a" }], securityContext: { appArmorProfile: { type: "Unconfined" } } },
    want: 'forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")',
  },
  {
    name: "container appArmorProfile with a missing type counts as type empty",
    level: "baseline",
    version: "latest",
    spec: { containers: [{ name: "foo", securityContext: { appArmorProfile: {} } }] },
    want: 'forbidden AppArmor profile (container "foo" must not set AppArmor profile type to "")',
  },
  {
    name: "appArmorProfile RuntimeDefault and Localhost are allowed; null is unset",
    level: "baseline",
    version: "latest",
    spec: {
      securityContext: { appArmorProfile: { type: "RuntimeDefault" } },
      containers: [
        { name: "a", securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "p" } } },
        { name: "b", securityContext: { appArmorProfile: null } },
      ],
    },
    want: "",
  },
  {
    name: "pod, containers and annotations combine; field types are a sorted set, then annotations",
    level: "baseline",
    version: "v1.30",
    spec: {
      securityContext: { appArmorProfile: { type: "Unconfined" } },
      containers: [
        { name: "c", securityContext: { appArmorProfile: { type: "bogus" } } },
        { name: "d", securityContext: { appArmorProfile: { type: "Unconfined" } } },
      ],
    },
    metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/c": "unconfined" } },
    want:
      "forbidden AppArmor profiles (pod and containers " +
      '"c", "d" and annotation must not set AppArmor profile type to "Unconfined", "bogus", ' +
      '"container.apparmor.security.beta.kubernetes.io/c="unconfined"")',
  },
  {
    name: "every AppArmor annotation is checked, even an empty suffix; items sorted",
    level: "baseline",
    version: "latest",
    spec: { containers: [{ name: "a" }] },
    metadata: {
      annotations: {
        "container.apparmor.security.beta.kubernetes.io/f": "unknown",
        "container.apparmor.security.beta.kubernetes.io/e": "unconfined",
        "container.apparmor.security.beta.kubernetes.io/": "bogus",
        "container.apparmor.security.beta.kubernetes.io/ok1": "",
        "container.apparmor.security.beta.kubernetes.io/ok2": "runtime/default",
        "container.apparmor.security.beta.kubernetes.io/ok3": "localhost/",
      },
    },
    want:
      "forbidden AppArmor profiles (annotations must not set AppArmor profile type to " +
      '"container.apparmor.security.beta.kubernetes.io/="bogus"", ' +
      '"container.apparmor.security.beta.kubernetes.io/e="unconfined"", ' +
      '"container.apparmor.security.beta.kubernetes.io/f="unknown"")',
  },
  {
    name: "AppArmor annotation values use Go %q quoting",
    level: "baseline",
    version: "latest",
    spec: { containers: [{ name: "a" }] },
    metadata: {
      annotations: { "container.apparmor.security.beta.kubernetes.io/a": 'un"conf\ti\u00e9\u00a0' },
    },
    want: 'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/a="un\\"conf\\ti\u00e9\\u00a0"")',
  },
  {
    name: "docker/default is not an allowed AppArmor annotation value",
    level: "baseline",
    version: "latest",
    spec: { containers: [{ name: "a" }] },
    metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/a": "docker/default" } },
    want: 'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/a="docker/default"")',
  },

  // seLinuxOptions: container_engine_t from v1.31.
  {
    name: "container_engine_t is forbidden at v1.30",
    level: "baseline",
    version: "v1.30",
    spec: {
      containers: [{ name: "a", securityContext: { seLinuxOptions: { type: "container_engine_t" } } }],
    },
    want: 'seLinuxOptions (container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t")',
  },
  {
    name: "container_engine_t is allowed at v1.31",
    level: "baseline",
    version: "v1.31",
    spec: {
      containers: [{ name: "a", securityContext: { seLinuxOptions: { type: "container_engine_t" } } }],
    },
    want: "",
  },
  {
    name: "seLinuxOptions parts: sorted type set, then user, then role; level is never checked",
    level: "baseline",
    version: "latest",
    spec: {
      securityContext: { seLinuxOptions: { type: "foo", level: "s0:c1" } },
      containers: [
        { name: "e", securityContext: { seLinuxOptions: { user: "u" } } },
        { name: "f", securityContext: { seLinuxOptions: { role: "r", type: "bar" } } },
        { name: "g", securityContext: { seLinuxOptions: { type: "foo" } } },
        { name: "ok", securityContext: { seLinuxOptions: { type: "container_t", user: "", role: "" } } },
      ],
    },
    want:
      'seLinuxOptions (pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: ' +
      'types "bar", "foo"; user may not be set; role may not be set)',
  },

  // User namespaces (hostUsers: false) relax three checks from v1.35 only.
  {
    name: "hostUsers:false does not relax runAsNonRoot, runAsUser or procMount at v1.34",
    level: "restricted",
    version: "v1.34",
    spec: restrictedSpec({
      hostUsers: false,
      securityContext: { runAsNonRoot: null, runAsUser: 0 },
      containers: [restrictedContainer("app", { securityContext: { procMount: "Unmasked" } })],
    }),
    want:
      'procMount (container "app" must not set securityContext.procMount to "Unmasked"), ' +
      'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), ' +
      "runAsUser=0 (pod must not set runAsUser=0)",
  },
  {
    name: "hostUsers:false relaxes runAsNonRoot and runAsUser at v1.35, but not procMount_restricted",
    level: "restricted",
    version: "v1.35",
    spec: restrictedSpec({
      hostUsers: false,
      securityContext: { runAsNonRoot: false, runAsUser: 0 },
      containers: [restrictedContainer("app", { securityContext: { procMount: "Unmasked", runAsUser: 0 } })],
    }),
    want: 'procMount (container "app" must not set securityContext.procMount to "Unmasked")',
  },
  {
    name: "hostUsers:false relaxes baseline procMount at v1.35",
    level: "baseline",
    version: "v1.35",
    spec: { hostUsers: false, containers: [{ name: "a", securityContext: { procMount: "Unmasked" } }] },
    want: "",
  },
  {
    name: "baseline procMount is strict at v1.34 even with hostUsers:false",
    level: "baseline",
    version: "v1.34",
    spec: { hostUsers: false, containers: [{ name: "a", securityContext: { procMount: "Unmasked" } }] },
    want: 'procMount (container "a" must not set securityContext.procMount to "Unmasked")',
  },
  {
    name: "absent or true hostUsers is not a user-namespace pod",
    level: "baseline",
    version: "latest",
    spec: {
      hostUsers: true,
      containers: [
        { name: "d", securityContext: { procMount: "other" } },
        { name: "e", securityContext: { procMount: "Unmasked" } },
      ],
    },
    want: 'procMount (containers "d", "e" must not set securityContext.procMount to "Unmasked", "other")',
  },

  // Windows pods: exempt from three restricted checks from v1.25 only.
  {
    name: "a Windows pod with only runAsNonRoot passes restricted v1.25",
    level: "restricted",
    version: "v1.25",
    spec: { os: { name: "windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "app" }] },
    want: "",
  },
  {
    name: "a Windows pod with only runAsNonRoot passes restricted v1.28",
    level: "restricted",
    version: "v1.28",
    spec: { os: { name: "windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "app" }] },
    want: "",
  },
  {
    name: "a Windows pod is not exempt at v1.24",
    level: "restricted",
    version: "v1.24",
    spec: { os: { name: "windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "app" }] },
    want:
      'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), ' +
      'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), ' +
      'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  },
  {
    name: "a Windows pod still needs runAsNonRoot and baseline checks",
    level: "restricted",
    version: "latest",
    spec: { os: { name: "windows" }, containers: [{ name: "app", securityContext: { privileged: true } }] },
    want:
      'privileged (container "app" must not set securityContext.privileged=true), ' +
      'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)',
  },
  {
    name: "only spec.os.name windows counts, exactly",
    level: "restricted",
    version: "latest",
    spec: {
      os: { name: "Windows" },
      nodeSelector: { "kubernetes.io/os": "windows" },
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [{ name: "app", securityContext: { capabilities: { drop: ["ALL"] } } }],
    },
    want: 'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)',
  },

  // Ephemeral containers are visited after init and regular containers.
  {
    name: "ephemeral containers are visited last",
    level: "baseline",
    version: "latest",
    spec: {
      ephemeralContainers: [{ name: "debug", securityContext: { privileged: true } }],
      containers: [{ name: "app", securityContext: { privileged: true } }],
      initContainers: [{ name: "init", securityContext: { privileged: true } }],
    },
    want: 'privileged (containers "init", "app", "debug" must not set securityContext.privileged=true)',
  },
  {
    name: "ephemeral containers count for restricted requirements",
    level: "restricted",
    version: "latest",
    spec: restrictedSpec({ ephemeralContainers: [{ name: "debug" }] }),
    want:
      'allowPrivilegeEscalation != false (container "debug" must set securityContext.allowPrivilegeEscalation=false), ' +
      'unrestricted capabilities (container "debug" must set securityContext.capabilities.drop=["ALL"])',
  },
  {
    name: "ephemeral container host ports and probe hosts count",
    level: "baseline",
    version: "latest",
    spec: {
      containers: [{ name: "app" }],
      ephemeralContainers: [
        {
          name: "debug",
          ports: [{ hostPort: 99 }],
          readinessProbe: { tcpSocket: { host: "localhost", port: 1 } },
        },
      ],
    },
    want:
      'hostPort (container "debug" uses hostPort 99), ' +
      'probe or lifecycle host (container "debug" uses probe or lifecycle host "localhost")',
  },

  // Volumes.
  {
    name: "image, csi and ephemeral volumes are allowed at v1.0",
    level: "restricted",
    version: "v1.0",
    spec: {
      securityContext: { runAsNonRoot: true },
      containers: [{ name: "app" }],
      volumes: [
        { name: "i", image: { reference: "x" } },
        { name: "c", csi: { driver: "d" } },
        { name: "e", ephemeral: { volumeClaimTemplate: {} } },
        { name: "none" },
      ],
    },
    want: "",
  },
  {
    name: "restricted volume types: names in spec order, sorted type set",
    level: "restricted",
    version: "latest",
    spec: restrictedSpec({
      volumes: [
        { name: "n", nfs: { server: "s", path: "/" } },
        { name: "ok", emptyDir: {} },
        { name: "h", hostPath: {} },
        { name: "g", gitRepo: { repository: "r" } },
        { name: "both", hostPath: { path: "/" }, nfs: {} },
      ],
    }),
    want: 'restricted volume types (volumes "n", "h", "g", "both" use restricted volume types "gitRepo", "hostPath", "nfs")',
  },
  {
    name: "hostPath: {} is a hostPath volume at baseline; hostPath: null is not",
    level: "baseline",
    version: "latest",
    spec: {
      containers: [{ name: "app" }],
      volumes: [
        { name: "a", hostPath: {} },
        { name: "b", hostPath: null },
        { name: "c", hostPath: { path: "/" } },
      ],
    },
    want: 'hostPath volumes (volumes "a", "c")',
  },

  // Sort orders and pluralization.
  {
    name: "host ports: distinct, sorted as strings, pluralized by count",
    level: "baseline",
    version: "latest",
    spec: {
      containers: [
        { name: "b", ports: [{ containerPort: 1, hostPort: 8080 }, { containerPort: 2 }] },
        { name: "c", ports: [{ hostPort: 10000 }, { hostPort: 8080 }, { hostPort: 0 }] },
      ],
    },
    want: 'hostPort (containers "b", "c" use hostPorts 10000, 8080)',
  },
  {
    name: "probe and lifecycle hosts: container names as a sorted set",
    level: "baseline",
    version: "v1.34",
    spec: {
      initContainers: [
        { name: "zeta", restartPolicy: "Always", startupProbe: { httpGet: { host: "b.com", port: 1 } } },
      ],
      containers: [
        { name: "beta", lifecycle: { preStop: { tcpSocket: { host: "a.com", port: 1 } } } },
        { name: "alpha", lifecycle: { postStart: { httpGet: { host: "a.com", port: 1 } } } },
        { name: "ok", livenessProbe: { httpGet: { host: "", port: 1 }, grpc: { port: 1 } } },
      ],
    },
    want: 'probe or lifecycle host (containers "alpha", "beta", "zeta" use probe or lifecycle hosts "a.com", "b.com")',
  },
  {
    name: "probe hosts are not checked below v1.34",
    level: "baseline",
    version: "v1.33",
    spec: { containers: [{ name: "a", livenessProbe: { httpGet: { host: "bad.host", port: 1 } } }] },
    want: "",
  },
  {
    name: "sysctls: spec order, duplicates kept, no quotes",
    level: "baseline",
    version: "v1.26",
    spec: {
      containers: [{ name: "a" }],
      securityContext: {
        sysctls: [
          { name: "b", value: "1" },
          { name: "net.ipv4.ip_local_reserved_ports", value: "1" },
          { name: "a" },
          { name: "b" },
          { name: "kernel.shm_rmid_forced" },
        ],
      },
    },
    want: "forbidden sysctls (b, net.ipv4.ip_local_reserved_ports, a, b)",
  },
  {
    name: "host namespaces in fixed order",
    level: "baseline",
    version: "latest",
    spec: { hostIPC: true, hostPID: true, hostNetwork: true, containers: [{ name: "a" }] },
    want: "host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)",
  },
  {
    name: "capabilities_restricted: both parts",
    level: "restricted",
    version: "latest",
    spec: restrictedSpec({
      containers: [
        {
          name: "a",
          securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ["FOO", "BAR"] } },
        },
        {
          name: "b",
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [], add: ["BAZ"] } },
        },
        {
          name: "c",
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"], add: ["CHOWN", "NET_BIND_SERVICE"] },
          },
        },
      ],
    }),
    want:
      'unrestricted capabilities (containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; ' +
      'containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add)',
  },
  {
    name: "capabilities_baseline runs at restricted below v1.22, with no drop-ALL rule",
    level: "restricted",
    version: "v1.21",
    spec: restrictedSpec({
      containers: [
        {
          name: "a",
          securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ["NET_RAW"] } },
        },
      ],
    }),
    want: 'non-default capabilities (container "a" must not include "NET_RAW" in securityContext.capabilities.add)',
  },

  // Field presence and explicit-wins rules.
  {
    name: "pod-level allowPrivilegeEscalation, privileged and capabilities do not exist",
    level: "restricted",
    version: "latest",
    spec: restrictedSpec({
      securityContext: { allowPrivilegeEscalation: true, privileged: true, capabilities: { add: ["ALL"] } },
    }),
    want: "",
  },
  {
    name: "runAsNonRoot: pod-level false fails even when every container sets true",
    level: "restricted",
    version: "latest",
    spec: restrictedSpec({
      securityContext: { runAsNonRoot: false },
      containers: [restrictedContainer("a", { securityContext: { runAsNonRoot: true } })],
    }),
    want: "runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)",
  },
  {
    name: "runAsNonRoot: explicit false wins over implicit; runAsUser does not satisfy it",
    level: "restricted",
    version: "latest",
    spec: restrictedSpec({
      securityContext: { runAsNonRoot: null, runAsUser: 1000 },
      containers: [
        restrictedContainer("a"),
        restrictedContainer("c", { securityContext: { runAsNonRoot: false } }),
        restrictedContainer("d", { securityContext: { runAsNonRoot: false } }),
      ],
    }),
    want: 'runAsNonRoot != true (containers "c", "d" must not set securityContext.runAsNonRoot=false)',
  },
  {
    name: "seccompProfile_restricted: explicit bad values win, sorted set",
    level: "restricted",
    version: "latest",
    spec: restrictedSpec({
      securityContext: { seccompProfile: { type: "Unconfined" } },
      containers: [
        restrictedContainer("c", { securityContext: { seccompProfile: {} } }),
        restrictedContainer("d", { securityContext: { seccompProfile: { type: "Unconfined" } } }),
        restrictedContainer("e"),
      ],
    }),
    want: 'seccompProfile (pod and containers "c", "d" must not set securityContext.seccompProfile.type to "", "Unconfined")',
  },
  {
    name: "seccomp annotations count only below v1.19, only for existing containers",
    level: "baseline",
    version: "v1.18",
    spec: {
      containers: [{ name: "a" }, { name: "b" }],
      securityContext: { seccompProfile: { type: "Unconfined" } },
    },
    metadata: {
      annotations: {
        "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
        "container.seccomp.security.alpha.kubernetes.io/a": "unconfined",
        "container.seccomp.security.alpha.kubernetes.io/b": "",
        "container.seccomp.security.alpha.kubernetes.io/ghost": "unconfined",
        "container.seccomp.security.alpha.kubernetes.io/x": "docker/default",
      },
    },
    want:
      'seccompProfile (forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", ' +
      'container.seccomp.security.alpha.kubernetes.io/b="", seccomp.security.alpha.kubernetes.io/pod="unconfined")',
  },
  {
    name: "seccomp fields count from v1.19, annotations no longer",
    level: "baseline",
    version: "v1.19",
    spec: { containers: [{ name: "a" }], securityContext: { seccompProfile: { type: "Unconfined" } } },
    metadata: { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } },
    want: 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
  },
  {
    name: "restricted has no seccomp requirement below v1.19 and no allowPrivilegeEscalation below v1.8",
    level: "restricted",
    version: "v1.7",
    spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: "a" }] },
    want: "",
  },
  {
    name: "windowsHostProcess at pod and container level",
    level: "baseline",
    version: "latest",
    spec: {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [
        { name: "e", securityContext: { windowsOptions: { hostProcess: true } } },
        { name: "f", securityContext: { windowsOptions: { hostProcess: true } } },
        { name: "g", securityContext: { windowsOptions: { hostProcess: false } } },
      ],
    },
    want: 'hostProcess (pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true)',
  },
  {
    name: "sysctls allowed at v1.37 only",
    level: "baseline",
    version: "v1.36",
    spec: {
      containers: [{ name: "a" }],
      securityContext: { sysctls: [{ name: "net.ipv4.tcp_notsent_lowat" }] },
    },
    want: "forbidden sysctls (net.ipv4.tcp_notsent_lowat)",
  },
  {
    name: "sysctls at v1.37",
    level: "baseline",
    version: "v1.37",
    spec: {
      containers: [{ name: "a" }],
      securityContext: { sysctls: [{ name: "net.ipv4.tcp_notsent_lowat" }] },
    },
    want: "",
  },
  {
    name: "missing container names are empty strings",
    level: "baseline",
    version: "latest",
    spec: { containers: [{ securityContext: { privileged: true } }, null] },
    want: 'privileged (container "" must not set securityContext.privileged=true)',
  },
  {
    name: "privileged level allows everything",
    level: "privileged",
    version: "latest",
    spec: { hostPID: true, containers: [{ name: "a", securityContext: { privileged: true } }] },
    want: "",
  },
];

describe("evaluatePss", () => {
  it.each(cases)("$name", ({ level, version, spec, metadata, want }) => {
    const r = evaluatePss({ metadata: metadata ?? {}, spec }, level, version);
    expect(r.message).toBe(want);
    expect(r.allowed).toBe(want === "");
    expect(r.level).toBe(level);
    expect(r.version).toBe(version);
    for (const v of r.violations) expect(v.paths.length).toBeGreaterThan(0);
  });

  it("clamps newer versions and latest to v1.37, keeping the requested version string", () => {
    const spec = {
      containers: [{ name: "a" }],
      securityContext: { sysctls: [{ name: "net.ipv4.tcp_notsent_lowat" }, { name: "other" }] },
    };
    const at37 = evaluatePss({ metadata: {}, spec }, "baseline", "v1.37");
    const at99 = evaluatePss({ metadata: {}, spec }, "baseline", "v1.99");
    const latest = evaluatePss({ metadata: {}, spec }, "baseline", "latest");
    expect(at37.message).toBe("forbidden sysctls (other)");
    expect(at99.message).toBe(at37.message);
    expect(latest.message).toBe(at37.message);
    expect(at99.version).toBe("v1.99");
    expect(formatPssMessage(at99.level, at99.version, at99.message)).toBe(
      'violates PodSecurity "baseline:v1.99": forbidden sysctls (other)',
    );
    expect(formatPssMessage(latest.level, latest.version, latest.message)).toBe(
      'violates PodSecurity "baseline:latest": forbidden sysctls (other)',
    );
  });

  it("runs checks in the library's order, without overridden baseline checks", () => {
    const spec = {
      hostNetwork: true,
      securityContext: {
        seLinuxOptions: { user: "u" },
        seccompProfile: { type: "Unconfined" },
        runAsUser: 0,
      },
      volumes: [{ name: "h", hostPath: {} }],
      containers: [
        { name: "a", securityContext: { capabilities: { add: ["NET_RAW"] }, procMount: "Unmasked" } },
      ],
    };
    const checks = (level: PssLevel, version: string) =>
      evaluatePss({ metadata: {}, spec }, level, version).violations.map((v) => v.check);
    expect(checks("baseline", "latest")).toEqual([
      "capabilities_baseline",
      "hostNamespaces",
      "hostPathVolumes",
      "procMount",
      "seLinuxOptions",
      "seccompProfile_baseline",
    ]);
    expect(checks("restricted", "latest")).toEqual([
      "hostNamespaces",
      "seLinuxOptions",
      "allowPrivilegeEscalation",
      "capabilities_restricted",
      "procMount_restricted",
      "restrictedVolumes",
      "runAsNonRoot",
      "runAsUser",
      "seccompProfile_restricted",
    ]);
    expect(checks("restricted", "v1.18")).toEqual([
      "capabilities_baseline",
      "hostNamespaces",
      "procMount",
      "seLinuxOptions",
      "allowPrivilegeEscalation",
      "restrictedVolumes",
      "runAsNonRoot",
    ]);
  });

  it("names every offending field by its path, in visiting order", () => {
    const r = evaluatePss(
      {
        metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/x": "unconfined" } },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          initContainers: [{ name: "i", securityContext: { allowPrivilegeEscalation: false } }],
          containers: [{ name: "a", ports: [{ containerPort: 1 }, { hostPort: 80 }] }],
          ephemeralContainers: [{ name: "e", securityContext: { allowPrivilegeEscalation: true } }],
        },
      },
      "restricted",
      "latest",
    );
    const paths = Object.fromEntries(r.violations.map((v) => [v.check, v.paths]));
    expect(paths).toEqual({
      appArmorProfile: [["metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/x"]],
      hostPorts: [["spec", "containers", 0, "ports", 1, "hostPort"]],
      allowPrivilegeEscalation: [
        ["spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"],
        ["spec", "ephemeralContainers", 0, "securityContext", "allowPrivilegeEscalation"],
      ],
      capabilities_restricted: [
        ["spec", "initContainers", 0, "securityContext", "capabilities", "drop"],
        ["spec", "containers", 0, "securityContext", "capabilities", "drop"],
        ["spec", "ephemeralContainers", 0, "securityContext", "capabilities", "drop"],
      ],
    });
  });

  it("names pod-level fields, volumes and sysctl entries by path", () => {
    const r = evaluatePss(
      {
        metadata: {},
        spec: {
          hostPID: true,
          securityContext: { runAsUser: 0, sysctls: [{ name: "kernel.shm_rmid_forced" }, { name: "bad" }] },
          volumes: [
            { name: "ok", secret: {} },
            { name: "n", nfs: {} },
          ],
          containers: [{ name: "a", securityContext: { runAsUser: 0, seLinuxOptions: { role: "r" } } }],
        },
      },
      "restricted",
      "v1.34",
    );
    const paths = Object.fromEntries(r.violations.map((v) => [v.check, v.paths]));
    expect(paths.hostNamespaces).toEqual([["spec", "hostPID"]]);
    expect(paths.sysctls).toEqual([["spec", "securityContext", "sysctls", 1, "name"]]);
    expect(paths.restrictedVolumes).toEqual([["spec", "volumes", 1, "nfs"]]);
    expect(paths.seLinuxOptions).toEqual([
      ["spec", "containers", 0, "securityContext", "seLinuxOptions", "role"],
    ]);
    expect(paths.runAsUser).toEqual([
      ["spec", "securityContext", "runAsUser"],
      ["spec", "containers", 0, "securityContext", "runAsUser"],
    ]);
    expect(paths.runAsNonRoot).toEqual([["spec", "containers", 0, "securityContext", "runAsNonRoot"]]);
  });

  it("evaluates an invalid version as latest rather than throwing", () => {
    const spec = { containers: [{ name: "a", securityContext: { privileged: true } }] };
    const r = evaluatePss({ metadata: {}, spec }, "baseline", "v1.01");
    expect(r.message).toBe(message("baseline", "latest", spec));
    expect(r.version).toBe("v1.01");
  });
});

describe("parsePssVersion", () => {
  it.each([
    ["latest", { latest: true, minor: NEWEST_PSS_MINOR }],
    ["v1.0", { latest: false, minor: 0 }],
    ["v1.9", { latest: false, minor: 9 }],
    ["v1.25", { latest: false, minor: 25 }],
    ["v1.99", { latest: false, minor: 99 }],
  ])("accepts %s", (v, want) => {
    expect(parsePssVersion(v)).toEqual(want);
  });

  it.each([
    "v1.01",
    "1.25",
    "v1",
    "v1.25.0",
    "v2.0",
    "Latest",
    "",
    " v1.2",
    "v1.2 ",
    "v1.-1",
    "v1.1e3",
    "v1.９",
  ])("rejects %j", (v) => {
    expect(parsePssVersion(v)).toBeUndefined();
  });
});

describe("pssCheckId", () => {
  it("maps upstream IDs to kubeguard IDs", () => {
    expect(pssCheckId("privileged")).toBe("pss.privileged");
    expect(pssCheckId("allowPrivilegeEscalation")).toBe("pss.allow-privilege-escalation");
    expect(pssCheckId("capabilities_restricted")).toBe("pss.capabilities-restricted");
    expect(pssCheckId("hostProbesAndHostLifecycle")).toBe("pss.host-probes-and-host-lifecycle");
    expect(pssCheckId("seccompProfile_restricted")).toBe("pss.seccomp-profile-restricted");
    expect(pssCheckId("somethingNew_x")).toBe("pss.something-new-x");
  });
});
