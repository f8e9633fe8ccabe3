/**
 * PSS `sysctls` (baseline, v1.0 / v1.27 / v1.29 / v1.32 / v1.37).
 * Restricted field: spec.securityContext.sysctls[*].name. Allowed names (exact; no wildcards, no
 * slash form): v1.0 kernel.shm_rmid_forced, net.ipv4.ip_local_port_range,
 * net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range;
 * v1.27 + net.ipv4.ip_local_reserved_ports; v1.29 + net.ipv4.tcp_keepalive_time,
 * net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes;
 * v1.32 + net.ipv4.tcp_rmem, net.ipv4.tcp_wmem; v1.37 + net.ipv4.tcp_slow_start_after_idle,
 * net.ipv4.tcp_notsent_lowat. Values are never checked.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asArray,
  asObject,
  asString,
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  podScPath,
} from "./check.ts";
import type { PssPod } from "./types.ts";

const ALLOWED_1_0: ReadonlySet<string> = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
]);
const ALLOWED_1_27: ReadonlySet<string> = new Set([...ALLOWED_1_0, "net.ipv4.ip_local_reserved_ports"]);
const ALLOWED_1_29: ReadonlySet<string> = new Set([
  ...ALLOWED_1_27,
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const ALLOWED_1_32: ReadonlySet<string> = new Set([
  ...ALLOWED_1_29,
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);
const ALLOWED_1_37: ReadonlySet<string> = new Set([
  ...ALLOWED_1_32,
  "net.ipv4.tcp_slow_start_after_idle",
  "net.ipv4.tcp_notsent_lowat",
]);

function evaluateWith(ctx: PssContext, allowed: ReadonlySet<string>): PssCheckResult | undefined {
  const list = asArray(ctx.podSc?.sysctls);
  if (!list) return undefined;
  let detail = "";
  const paths: Path[] = [];
  for (let i = 0; i < list.length; i++) {
    // Go decodes a null entry as a sysctl with an empty name, which is not allowed.
    const name = asString(asObject(list[i])?.name) ?? "";
    if (allowed.has(name)) continue;
    // Spec order, duplicates kept, no quotes: exactly as the library joins them.
    detail += paths.length > 0 ? `, ${name}` : name;
    paths.push(podScPath("sysctls", i, "name"));
  }
  if (paths.length === 0) return undefined;
  return { reason: "forbidden sysctls", detail, paths };
}

const revision = (minVersion: number, allowed: ReadonlySet<string>) => ({
  minVersion,
  evaluate: (_pod: PssPod, ctx: PssContext) => evaluateWith(ctx, allowed),
});

/** PSS `sysctls`: allows only the namespaced, safe sysctls. */
export const sysctls: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.sysctls",
    scope: "pss",
    pssCheck: "sysctls",
    pssLevel: "baseline",
    title: "Only safe sysctls may be set",
    severity: "medium",
    description:
      "Reads spec.securityContext.sysctls[*].name. Allowed, by exact name: kernel.shm_rmid_forced, " +
      "net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, " +
      "net.ipv4.ping_group_range; from policy v1.27 net.ipv4.ip_local_reserved_ports; from v1.29 " +
      "net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, " +
      "net.ipv4.tcp_keepalive_probes; from v1.32 net.ipv4.tcp_rmem, net.ipv4.tcp_wmem; from v1.37 " +
      "net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat. Values are not checked.",
    remediation: "Remove every sysctl from spec.securityContext.sysctls that is not in the safe set.",
    references: [
      PSS_DOCS,
      {
        title: "Using sysctls in a Kubernetes Cluster",
        url: "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/",
      },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-baseline": "sysctls",
      "pss-restricted": "sysctls",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    revision(0, ALLOWED_1_0),
    revision(27, ALLOWED_1_27),
    revision(29, ALLOWED_1_29),
    revision(32, ALLOWED_1_32),
    revision(37, ALLOWED_1_37),
  ],
};
