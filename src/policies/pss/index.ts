/**
 * The Pod Security Standards evaluator: the `pss` module's checks, registered explicitly, and the
 * evaluation that reproduces the Kubernetes Pod Security Admission library (which checks run at a
 * level and version, overrides, order, and the aggregate message). See SPEC.md in the conformance
 * material for the rules this follows.
 */
import type { PssCheckMeta, PssLevel } from "../types.ts";
import { allowPrivilegeEscalation } from "./allow-privilege-escalation.ts";
import { appArmorProfile } from "./app-armor-profile.ts";
import { capabilitiesBaseline } from "./capabilities-baseline.ts";
import { capabilitiesRestricted } from "./capabilities-restricted.ts";
import {
  buildContext,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  type PssRevision,
} from "./check.ts";
import { compareUtf8 } from "./format.ts";
import { hostNamespaces } from "./host-namespaces.ts";
import { hostPathVolumes } from "./host-path-volumes.ts";
import { hostPorts } from "./host-ports.ts";
import { hostProbesAndHostLifecycle } from "./host-probes-and-host-lifecycle.ts";
import { privileged } from "./privileged.ts";
import { procMount } from "./proc-mount.ts";
import { procMountRestricted } from "./proc-mount-restricted.ts";
import { restrictedVolumes } from "./restricted-volumes.ts";
import { runAsNonRoot } from "./run-as-non-root.ts";
import { runAsUser } from "./run-as-user.ts";
import { seLinuxOptions } from "./se-linux-options.ts";
import { seccompProfileBaseline } from "./seccomp-profile-baseline.ts";
import { seccompProfileRestricted } from "./seccomp-profile-restricted.ts";
import { sysctls } from "./sysctls.ts";
import type { PssEvaluation, PssPod, PssViolation } from "./types.ts";
import { windowsHostProcess } from "./windows-host-process.ts";

export type { PssCheckDefinition, PssCheckResult, PssContext, PssRevision } from "./check.ts";
export { goQuote } from "./format.ts";
export type { PssEvaluation, PssPod, PssViolation } from "./types.ts";

/**
 * Every PSS check with its revisions, baseline then restricted. Registration is this explicit list;
 * the evaluator sorts by upstream ID itself, so the order here is for readers only.
 */
export const PSS_CHECK_DEFINITIONS: readonly PssCheckDefinition[] = [
  appArmorProfile,
  capabilitiesBaseline,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  privileged,
  procMount,
  seLinuxOptions,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  allowPrivilegeEscalation,
  capabilitiesRestricted,
  procMountRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
];

/** The metadata of all 19 PSS checks, for the registry. */
export const PSS_CHECKS: PssCheckMeta[] = PSS_CHECK_DEFINITIONS.map((d) => d.meta);

/** The newest policy revision known here (v1.37). `latest` and newer versions evaluate as this. */
export const NEWEST_PSS_MINOR = 37;

const ID_BY_UPSTREAM: ReadonlyMap<string, string> = new Map(PSS_CHECKS.map((m) => [m.pssCheck, m.id]));
const CAMEL_BOUNDARY = /([a-z0-9])([A-Z])/g;

/**
 * The kubeguard check ID of an upstream PSA check ID. Unknown IDs get the same mechanical mapping
 * (camelCase and `_` to kebab-case) so callers always get a well-formed ID.
 *
 * @example pssCheckId("capabilities_restricted") // => "pss.capabilities-restricted"
 */
export function pssCheckId(upstreamId: string): string {
  return (
    ID_BY_UPSTREAM.get(upstreamId) ??
    `pss.${upstreamId.replace(CAMEL_BOUNDARY, "$1-$2").replaceAll("_", "-").toLowerCase()}`
  );
}

const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

/**
 * Parses a policy version: `latest` or `v1.N` (no leading zero, no patch). `undefined` when invalid.
 * The minor is not clamped; `latest` has minor NEWEST_PSS_MINOR.
 *
 * @example parsePssVersion("v1.25") // => { latest: false, minor: 25 }
 */
export function parsePssVersion(v: string): { latest: boolean; minor: number } | undefined {
  if (v === "latest") return { latest: true, minor: NEWEST_PSS_MINOR };
  if (typeof v !== "string") return undefined;
  const m = VERSION.exec(v);
  if (!m?.[1]) return undefined;
  const minor = Number(m[1]);
  return Number.isSafeInteger(minor) ? { latest: false, minor } : undefined;
}

/**
 * The library's text around an aggregate message.
 *
 * @example formatPssMessage("restricted", "v1.40", "runAsUser=0 (pod must not set runAsUser=0)")
 * // => 'violates PodSecurity "restricted:v1.40": runAsUser=0 (pod must not set runAsUser=0)'
 */
export function formatPssMessage(level: PssLevel, version: string, message: string): string {
  return `violates PodSecurity "${level}:${version}": ${message}`;
}

interface PlannedCheck {
  check: string;
  revision: PssRevision;
  /** In a restricted plan: the index of the same revision in the baseline plan of that version. */
  shared?: number;
}

/** The revision of a check used at `minor`: the one with the largest minVersion <= minor. */
function revisionAt(def: PssCheckDefinition, minor: number): PssRevision | undefined {
  let found: PssRevision | undefined;
  for (const r of def.revisions) if (r.minVersion <= minor) found = r;
  return found;
}

function byUpstreamId(a: PssCheckDefinition, b: PssCheckDefinition): number {
  return compareUtf8(a.meta.pssCheck, b.meta.pssCheck);
}

const BASELINE = PSS_CHECK_DEFINITIONS.filter((d) => d.meta.pssLevel === "baseline").sort(byUpstreamId);
const RESTRICTED = PSS_CHECK_DEFINITIONS.filter((d) => d.meta.pssLevel === "restricted").sort(byUpstreamId);

/** Which checks run at a level and clamped minor, in the library's order, without overridden ones. */
function planFor(restricted: boolean, minor: number): PlannedCheck[] {
  const base: PlannedCheck[] = [];
  for (const d of BASELINE) {
    const revision = revisionAt(d, minor);
    if (revision) base.push({ check: d.meta.pssCheck, revision });
  }
  if (!restricted) return base;
  const extra: PlannedCheck[] = [];
  const overridden = new Set<string>();
  for (const d of RESTRICTED) {
    const revision = revisionAt(d, minor);
    if (!revision) continue;
    extra.push({ check: d.meta.pssCheck, revision });
    for (const o of revision.overrides ?? []) overridden.add(o);
  }
  const kept = base.filter((p) => !overridden.has(p.check));
  return [...kept.map((p) => ({ ...p, shared: base.indexOf(p) })), ...extra];
}

// Plans per clamped minor, built once on first use.
const PLANS: { baseline: PlannedCheck[][]; restricted: PlannedCheck[][] } = { baseline: [], restricted: [] };

function plan(level: "baseline" | "restricted", minor: number): PlannedCheck[] {
  const cache = PLANS[level];
  let p = cache[minor];
  if (!p) {
    p = planFor(level === "restricted", minor);
    cache[minor] = p;
  }
  return p;
}

/**
 * Evaluates a pod (or pod template) against the Pod Security Standards at a level and version,
 * exactly as the PSA library does. `version` is `latest` or `v1.N`; versions newer than v1.37, and
 * `latest`, evaluate as v1.37, and an invalid version evaluates as `latest` (the library's fallback
 * for invalid version labels). The result carries the requested version string, which is what
 * messages print. Never throws, whatever JSON the pod holds.
 *
 * @example
 * const r = evaluatePss({ metadata: {}, spec: { containers: [{ name: "app", securityContext: { privileged: true } }] } }, "baseline", "latest");
 * // r.message === 'privileged (container "app" must not set securityContext.privileged=true)'
 * formatPssMessage(r.level, r.version, r.message);
 */
export function evaluatePss(pod: PssPod, level: PssLevel, version: string): PssEvaluation {
  if (level === "privileged") return { level, version, allowed: true, violations: [], message: "" };
  const minor = clampedMinor(version);
  return evaluateAt(pod, level, version, minor, buildContext(pod, minor));
}

/**
 * Both levels of {@link evaluatePss} for one pod, with the same results as two calls: the context is
 * built once, and a check revision the two plans share (most baseline checks) is evaluated once. The
 * scanner needs both levels for every pod, so this halves its PSS work.
 */
export function evaluatePssLevels(
  pod: PssPod,
  version: string,
): { baseline: PssEvaluation; restricted: PssEvaluation } {
  const minor = clampedMinor(version);
  const ctx = buildContext(pod, minor);
  const results: (PssCheckResult | undefined)[] = [];
  return {
    baseline: evaluateAt(pod, "baseline", version, minor, ctx, results),
    restricted: evaluateAt(pod, "restricted", version, minor, ctx, results),
  };
}

function clampedMinor(version: string): number {
  const parsed = parsePssVersion(version);
  return !parsed || parsed.minor > NEWEST_PSS_MINOR ? NEWEST_PSS_MINOR : parsed.minor;
}

function evaluateAt(
  pod: PssPod,
  level: PssLevel,
  version: string,
  minor: number,
  ctx: PssContext,
  baselineResults?: (PssCheckResult | undefined)[],
): PssEvaluation {
  // An unknown level string fails closed, as the library does for an invalid enforce label.
  const baseline = level === "baseline";
  const checks = plan(baseline ? "baseline" : "restricted", minor);
  const violations: PssViolation[] = [];
  let message = "";
  for (let i = 0; i < checks.length; i++) {
    const { check, revision, shared } = checks[i]!;
    // With the baseline's results at hand, a revision both plans run is not evaluated twice.
    let r: PssCheckResult | undefined;
    if (!baseline && baselineResults && shared !== undefined) r = baselineResults[shared];
    else {
      r = revision.evaluate(pod, ctx);
      if (baseline && baselineResults) baselineResults[i] = r;
    }
    if (!r) continue;
    const reason = r.reason === "" ? "unknown forbidden reason" : r.reason;
    violations.push({ check, reason, detail: r.detail, paths: r.paths });
    const part = r.detail === "" ? reason : `${reason} (${r.detail})`;
    message = message === "" ? part : `${message}, ${part}`;
  }
  return { level, version, allowed: violations.length === 0, violations, message };
}
