/**
 * PSS `hostProbesAndHostLifecycle` (baseline, v1.34).
 * Restricted fields, for each container: livenessProbe, readinessProbe, startupProbe,
 * lifecycle.postStart and lifecycle.preStop, each `.httpGet.host` and `.tcpSocket.host`.
 * Allowed values: unset or "". No host is allowed, loopback included. Unlike every other check,
 * the message lists the offending container names as a sorted set.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asObject,
  asString,
  type ContainerView,
  containerPath,
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
} from "./check.ts";
import { joinQuote, pluralize, sortedSet } from "./format.ts";
import type { PssPod } from "./types.ts";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const HOOKS = ["postStart", "preStop"] as const;
const HANDLERS = ["httpGet", "tcpSocket"] as const;

/** Adds the hosts a probe or lifecycle handler sets; returns the handler kind of the first one. */
function handlerHosts(handler: unknown, hosts: string[]): string | undefined {
  const h = asObject(handler);
  if (!h) return undefined;
  let first: string | undefined;
  for (const kind of HANDLERS) {
    const host = asString(asObject(h[kind])?.host);
    if (host === undefined || host === "") continue;
    hosts.push(host);
    first ??= kind;
  }
  return first;
}

/** Adds the hosts a container's probes and hooks set; returns the path of the first one. */
function containerHosts(c: ContainerView, hosts: string[]): Path | undefined {
  let first: Path | undefined;
  for (const probe of PROBES) {
    const kind = handlerHosts(c.obj[probe], hosts);
    if (kind !== undefined) first ??= containerPath(c, probe, kind, "host");
  }
  const lifecycle = asObject(c.obj.lifecycle);
  if (lifecycle) {
    for (const hook of HOOKS) {
      const kind = handlerHosts(lifecycle[hook], hosts);
      if (kind !== undefined) first ??= containerPath(c, "lifecycle", hook, kind, "host");
    }
  }
  return first;
}

function evaluate1_34(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const badContainers: string[] = [];
  const hosts: string[] = [];
  const paths: Path[] = [];
  for (const c of ctx.containers) {
    const path = containerHosts(c, hosts);
    if (!path) continue;
    badContainers.push(c.name);
    paths.push(path);
  }
  if (badContainers.length === 0) return undefined;
  const names = sortedSet(badContainers);
  const distinctHosts = sortedSet(hosts);
  return {
    reason: "probe or lifecycle host",
    detail:
      `${pluralize("container", "containers", names.length)} ${joinQuote(names)} ` +
      `${pluralize("uses", "use", names.length)} ` +
      `${pluralize("probe or lifecycle host", "probe or lifecycle hosts", distinctHosts.length)} ${joinQuote(distinctHosts)}`,
    paths,
  };
}

/** PSS `hostProbesAndHostLifecycle`: forbids probes and lifecycle hooks that target a host. */
export const hostProbesAndHostLifecycle: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.host-probes-and-host-lifecycle",
    scope: "pss",
    pssCheck: "hostProbesAndHostLifecycle",
    pssLevel: "baseline",
    title: "Probes and lifecycle hooks must not set a host",
    severity: "medium",
    description:
      "Reads each container's livenessProbe, readinessProbe, startupProbe, lifecycle.postStart and " +
      "lifecycle.preStop, both httpGet.host and tcpSocket.host. The host must be unset or empty: any " +
      "value, loopback included, lets the kubelet reach other hosts on the pod's behalf. Policy v1.34+.",
    remediation:
      "Remove the host field from httpGet and tcpSocket probes and lifecycle handlers so they target the pod's own IP.",
    references: [
      PSS_DOCS,
      {
        title: "Configure Liveness, Readiness and Startup Probes",
        url: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
      },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-baseline": "hostProbesAndHostLifecycle",
      "pss-restricted": "hostProbesAndHostLifecycle",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 34, evaluate: evaluate1_34 }],
};
