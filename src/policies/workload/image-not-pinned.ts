/**
 * workload.image-not-pinned: a container image that is not pinned by digest can change under the same
 * reference, so what runs is not what was reviewed. Reads each container's `image`.
 */

import {
  describeContainer,
  describeResource,
  POD_TEMPLATE_KINDS,
  podContainers,
} from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { asNonEmptyString } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import { NSA_GUIDE } from "./util.ts";

/** `algorithm:hex` after `@`, as in the OCI distribution spec (`sha256:` + 64 hex digits, `sha512:` …). */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

/** The tag and digest of an image reference: `registry:5000/team/app:1.2@sha256:…`. */
export function parseImage(image: string): { tag: string | undefined; digest: boolean } {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 && DIGEST.test(image.slice(at + 1));
  // A colon after the last slash separates the tag; one before it belongs to a registry port.
  const colon = name.lastIndexOf(":");
  const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : undefined;
  return { tag, digest };
}

export const imageNotPinned = defineCheck({
  id: "workload.image-not-pinned",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Container image not pinned by digest",
  severity: "medium",
  description:
    "Reads `image` of every init, regular and ephemeral container. Passes when the reference carries a digest (`@sha256:<64 hex>`, any algorithm). Without a digest: no tag (which pulls `:latest`) or the tag `latest` is medium, since the image changes on every push; any other tag is low, since tags are mutable but usually stable.",
  remediation:
    "Pin every image by digest (image: registry/app:1.2.3@sha256:<digest>), for example with a CI step or an admission policy that resolves tags to digests.",
  references: [
    {
      title: "Images: image names and digests",
      url: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
    },
    {
      title: "Configuration best practices: container images",
      url: "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
    },
    NSA_GUIDE,
  ],
  frameworks: { "nsa-cisa": "image-security" },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const out: RawFinding[] = [];
    for (const c of podContainers(resource)) {
      const image = asNonEmptyString(c.container.image);
      if (!image) continue;
      const { tag, digest } = parseImage(image);
      if (digest) continue;
      const who = `${describeResource(resource)} ${describeContainer(c)} image "${image}"`;
      const path = [...c.path, "image"];
      if (tag === undefined || tag === "") {
        out.push({ resource, path, message: `${who} has no tag (pulls :latest) and no digest` });
      } else if (tag === "latest") {
        out.push({ resource, path, message: `${who} uses the mutable tag "latest" and no digest` });
      } else {
        out.push({ resource, path, severity: "low", message: `${who} is pinned by tag only, not by digest` });
      }
    }
    return out;
  },
});
