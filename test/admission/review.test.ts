/**
 * Admission decisions as the API server sees them: PSA messages, warnings, exemptions, updates,
 * and malformed reviews that are never allowed by accident.
 */
import { describe, expect, it } from "vitest";
import { reviewAdmission } from "../../src/admission/review.ts";

const NOW = new Date("2026-12-01T12:00:00Z");

function review(object: Record<string, unknown>, over: Record<string, unknown> = {}) {
  const kind = (object.kind as string) ?? "Pod";
  const group = kind === "Pod" ? "" : kind === "CronJob" || kind === "Job" ? "batch" : "apps";
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
      kind: { group, version: "v1", kind },
      resource: { group, version: "v1", resource: `${kind.toLowerCase()}s` },
      name: (object.metadata as { name?: string })?.name,
      namespace: "shop",
      operation: "CREATE",
      userInfo: { username: "alice" },
      object,
      ...over,
    },
  };
}

const privilegedPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web" },
  spec: { containers: [{ name: "app", image: "nginx", securityContext: { privileged: true } }] },
};
const plainPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web" },
  spec: { containers: [{ name: "app", image: "nginx" }] },
};

describe("reviewAdmission", () => {
  it("rejects a Pod that violates enforce with the built-in controller's message", () => {
    const out = reviewAdmission(review(privilegedPod), undefined, NOW);
    if (!out.ok) throw new Error(out.detail);
    expect(out.review.response).toMatchObject({
      uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
      allowed: false,
      status: {
        code: 403,
        reason: "Forbidden",
        message:
          'pods "web" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
      },
    });
    expect(out.review.response.auditAnnotations?.["enforce-policy"]).toBe("baseline:latest");
    expect(out.decision.allowed).toBe(false);
  });

  it("allows a baseline Pod with a restricted warning and audit annotation", () => {
    const out = reviewAdmission(review(plainPod), undefined, NOW);
    if (!out.ok) throw new Error(out.detail);
    expect(out.review.response.allowed).toBe(true);
    expect(out.review.response.warnings?.[0]).toMatch(
      /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
    );
    expect(out.review.response.auditAnnotations?.["audit-violations"]).toMatch(
      /^would violate PodSecurity "restricted:latest"/,
    );
  });

  it("warns but never rejects a pod controller", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { template: { metadata: {}, spec: privilegedPod.spec } },
    };
    const out = reviewAdmission(review(deployment), undefined, NOW);
    if (!out.ok) throw new Error(out.detail);
    expect(out.review.response.allowed).toBe(true);
    expect(out.review.response.warnings?.[0]).toContain(
      'privileged (container "app" must not set securityContext.privileged=true)',
    );
  });

  it("uses per-namespace levels and versions from settings", () => {
    const out = reviewAdmission(
      review(plainPod),
      { namespaces: { shop: { enforce: { level: "restricted", version: "v1.30" } } } },
      NOW,
    );
    if (!out.ok) throw new Error(out.detail);
    expect(out.review.response.allowed).toBe(false);
    expect(out.review.response.status?.message).toMatch(
      /^pods "web" is forbidden: violates PodSecurity "restricted:v1.30": /,
    );
  });

  it("allows exempt users, namespaces and runtime classes without evaluating", () => {
    const byUser = reviewAdmission(review(privilegedPod), { exemptions: { usernames: ["alice"] } }, NOW);
    expect(byUser.ok && byUser.review.response).toMatchObject({
      allowed: true,
      auditAnnotations: { exempt: "user" },
    });
    const byNs = reviewAdmission(review(privilegedPod), { exemptions: { namespaces: ["shop"] } }, NOW);
    expect(byNs.ok && byNs.review.response.auditAnnotations).toEqual({ exempt: "namespace" });
    const rc = { ...privilegedPod, spec: { ...privilegedPod.spec, runtimeClassName: "gvisor" } };
    const byRc = reviewAdmission(review(rc), { exemptions: { runtimeClasses: ["gvisor"] } }, NOW);
    expect(byRc.ok && byRc.review.response.auditAnnotations).toEqual({ exempt: "runtimeClass" });
  });

  it("ignores exec and status subresources, deletes, and updates that change no image or container count", () => {
    for (const over of [{ subResource: "exec" }, { subResource: "status" }, { operation: "DELETE" }]) {
      const out = reviewAdmission(review(privilegedPod, over), undefined, NOW);
      expect(out.ok && out.review.response.allowed).toBe(true);
    }
    const update = reviewAdmission(
      review(privilegedPod, { operation: "UPDATE", oldObject: privilegedPod }),
      undefined,
      NOW,
    );
    expect(update.ok && update.review.response.allowed).toBe(true);
    const newImage = {
      ...privilegedPod,
      spec: { containers: [{ name: "app", image: "nginx:2", securityContext: { privileged: true } }] },
    };
    const changed = reviewAdmission(
      review(newImage, { operation: "UPDATE", oldObject: privilegedPod }),
      undefined,
      NOW,
    );
    expect(changed.ok && changed.review.response.allowed).toBe(false);
    const eph = reviewAdmission(
      review(privilegedPod, { subResource: "ephemeralcontainers" }),
      undefined,
      NOW,
    );
    expect(eph.ok && eph.review.response.allowed).toBe(false);
  });

  it("denies on other kubeguard checks when settings ask for a severity", () => {
    const out = reviewAdmission(
      review(plainPod),
      { enforce: { level: "privileged", version: "latest" }, denySeverity: "medium" },
      NOW,
    );
    if (!out.ok) throw new Error(out.detail);
    expect(out.review.response.allowed).toBe(false);
    expect(out.review.response.status?.message).toMatch(
      /^pods "web" is forbidden: violates kubeguard policy/,
    );
  });

  it("refuses a malformed review instead of allowing it", () => {
    for (const body of [
      null,
      {},
      { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" },
      review(plainPod, { uid: "" }),
    ]) {
      const out = reviewAdmission(body, undefined, NOW);
      expect(out.ok).toBe(false);
    }
    const noObject = reviewAdmission(review(plainPod, { object: null }), undefined, NOW);
    expect(noObject.ok).toBe(false);
  });

  it("refuses a pod spec with fields of the wrong type, for Pods and pod controllers", () => {
    const badPod = { ...plainPod, spec: { containers: "app" } };
    const badDeployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { template: { spec: { containers: [{ name: "app", securityContext: 5 }] } } },
    };
    for (const object of [badPod, badDeployment]) {
      const out = reviewAdmission(review(object), undefined, NOW);
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.detail).toMatch(/no pod spec could be read/);
    }
  });

  it("refuses an object that is not the kind the review names or has malformed metadata, also with denySeverity", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { template: { spec: { containers: [{ name: "app", image: "nginx" }] } } },
    };
    const objects = [
      { object: { ...plainPod, kind: "ConfigMap" }, path: "request.object.kind" },
      { object: { ...plainPod, kind: 5 }, path: "request.object.kind" },
      { object: { ...plainPod, apiVersion: 5 }, path: "request.object.apiVersion" },
      { object: { ...plainPod, metadata: { name: ["web"] } }, path: "request.object.metadata.name" },
      { object: { ...deployment, metadata: "x" }, path: "request.object.metadata" },
    ];
    const lenient = { enforce: { level: "privileged", version: "latest" } } as const;
    for (const settings of [undefined, lenient, { ...lenient, denySeverity: "medium" } as const]) {
      for (const { object, path } of objects) {
        // The review names the kind of the well-formed object; the object sent is the broken one.
        const body = review(object === objects[4]?.object ? deployment : plainPod, {
          object,
        });
        const out = reviewAdmission(body, settings, NOW);
        expect(out.ok, JSON.stringify(object)).toBe(false);
        if (!out.ok) expect(out.errors?.[0]?.path).toBe(path);
      }
    }
    // The same objects, well-formed, are judged: denied on kubeguard checks at medium.
    const judged = reviewAdmission(review(plainPod), { ...lenient, denySeverity: "medium" }, NOW);
    expect(judged.ok && judged.review.response.allowed).toBe(false);
  });

  it("evaluates warn and audit each at its own policy, shared or not", () => {
    const same = reviewAdmission(review(plainPod), undefined, NOW);
    if (!same.ok) throw new Error(same.detail);
    const warning = same.review.response.warnings?.[0] ?? "";
    expect(warning).toMatch(/^would violate PodSecurity "restricted:latest": /);
    expect(same.review.response.auditAnnotations?.["audit-violations"]).toBe(warning);

    const apart = reviewAdmission(
      review(privilegedPod),
      {
        enforce: { level: "privileged", version: "latest" },
        warn: { level: "restricted", version: "latest" },
        audit: { level: "baseline", version: "v1.30" },
      },
      NOW,
    );
    if (!apart.ok) throw new Error(apart.detail);
    expect(apart.review.response.allowed).toBe(true);
    expect(apart.review.response.warnings?.[0]).toMatch(
      /^would violate PodSecurity "restricted:latest": privileged/,
    );
    expect(apart.review.response.auditAnnotations?.["audit-violations"]).toBe(
      'would violate PodSecurity "baseline:v1.30": privileged (container "app" must not set securityContext.privileged=true)',
    );
  });

  it("records dry runs as such", () => {
    const out = reviewAdmission(review(plainPod, { dryRun: true }), undefined, NOW);
    expect(out.ok && out.decision.dryRun).toBe(true);
  });
});
