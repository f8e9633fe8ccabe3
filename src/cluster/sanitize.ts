/**
 * What a snapshot keeps of each listed object: `apiVersion` and `kind` filled in (lists omit them on
 * items), `managedFields` removed, and no Secret value in any form. Secrets are listed as metadata
 * only; this is the second line of defence, applied to every object of kind Secret whatever the
 * server sent.
 */
import type { KObject } from "../ingest/types.ts";

/** kubectl's copy of the applied object: for a Secret or ConfigMap it repeats every value. */
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function isObject(v: unknown): v is KObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Fill in identity and drop server bookkeeping; `dropData` removes ConfigMap data (metadata-only ConfigMaps). */
export function sanitizeItem(
  item: unknown,
  apiVersion: string,
  kind: string,
  opts: { dropData?: boolean } = {},
): KObject {
  const src = isObject(item) ? item : {};
  const { apiVersion: _a, kind: _k, metadata, ...rest } = src;
  const obj: KObject = { apiVersion, kind, metadata: isObject(metadata) ? { ...metadata } : {}, ...rest };
  const meta = obj.metadata as KObject;
  delete meta.managedFields;
  if (kind === "Secret" || (kind === "ConfigMap" && opts.dropData)) {
    delete obj.data;
    delete obj.stringData;
    delete obj.binaryData;
    if (isObject(meta.annotations) && LAST_APPLIED in meta.annotations) {
      const { [LAST_APPLIED]: _dropped, ...annotations } = meta.annotations;
      if (Object.keys(annotations).length > 0) meta.annotations = annotations;
      else delete meta.annotations;
    }
  }
  return obj;
}
