/**
 * Helpers shared by the secrets checks: sensitive-name and credential-pattern detection, base64
 * decoding, references, and the inventory indexes of what provides a Secret. Nothing here returns
 * or formats a value: callers learn only that a value matched and which kind of credential it looks like.
 */
import type { KObject, Resource } from "../../ingest/types.ts";
import { NamespacedIndex, perInventory } from "../common/inventory.ts";
import { asList, asNonEmptyString, asObject } from "../common/objects.ts";
import type { Reference } from "../types.ts";

export const NSA_GUIDE: Reference = {
  title: "NSA/CISA Kubernetes Hardening Guidance",
  url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
};
export const CIS_BENCHMARK: Reference = {
  title: "CIS Kubernetes Benchmark",
  url: "https://www.cisecurity.org/benchmark/kubernetes",
};
export const SECRETS_GOOD_PRACTICES: Reference = {
  title: "Good practices for Kubernetes Secrets",
  url: "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
};
export const EXTERNAL_SECRETS: Reference = {
  title: "External Secrets Operator",
  url: "https://external-secrets.io/latest/",
};
export const SEALED_SECRETS: Reference = {
  title: "Sealed Secrets",
  url: "https://github.com/bitnami-labs/sealed-secrets",
};
export const SECRETS_STORE_CSI: Reference = {
  title: "Secrets Store CSI Driver",
  url: "https://secrets-store-csi-driver.sigs.k8s.io/",
};

/** A kind of credential a value can look like. `critical` marks private keys and cloud credentials. */
export interface CredentialPattern {
  /** Reads in a message after "looks like": `an AWS access key ID`. */
  description: string;
  critical: boolean;
  test(value: string): boolean;
}

const PLACEHOLDER_SEGMENT = /^(?:\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]*\}|\*+)$/;

/** A URL with a password in its userinfo (`scheme://user:password@host`), not a `$(VAR)` / `${VAR}` placeholder. */
function hasUrlPassword(value: string): boolean {
  // The lookbehind starts a match only at the beginning of a scheme, which keeps long runs of letters linear.
  // Cheap prefilter: a match needs "://", which most values lack.
  if (!value.includes("://")) return false;
  const re = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/g;
  for (const m of value.matchAll(re)) {
    if (!PLACEHOLDER_SEGMENT.test(m[1] ?? "")) return true;
  }
  return false;
}

/**
 * Known credential formats, most specific first. Each test first checks for a literal its expression
 * cannot match without (`includes` is far cheaper than a regular expression with lookbehind), since
 * every scanned env value and config entry goes through this list and almost none match.
 */
export const CREDENTIAL_PATTERNS: readonly CredentialPattern[] = [
  {
    description: "a private key block",
    critical: true,
    test: (v) => v.includes("-----BEGIN ") && /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/.test(v),
  },
  {
    description: "an AWS access key ID",
    critical: true,
    test: (v) =>
      (v.includes("AKIA") || v.includes("ASIA")) &&
      /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/.test(v),
  },
  {
    description: "a GitHub token",
    critical: false,
    test: (v) =>
      (v.includes("gh") || v.includes("github_pat_")) &&
      /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/.test(v),
  },
  {
    description: "a Slack token",
    critical: false,
    test: (v) => v.includes("xox") && /(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}/.test(v),
  },
  {
    description: "a JSON Web Token",
    critical: false,
    test: (v) =>
      v.includes("eyJ") &&
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/.test(v),
  },
  {
    description: "a URL with an embedded password",
    critical: false,
    test: hasUrlPassword,
  },
];

/** The first credential pattern the value matches. */
export function matchCredential(value: string): CredentialPattern | undefined {
  return CREDENTIAL_PATTERNS.find((p) => p.test(value));
}

/** Name tokens that mark a credential wherever they appear (as a whole token or inside one). */
const SENSITIVE_INFIX = ["PASSWORD", "PASSWD", "PASSPHRASE"];
/** Whole tokens that mark a credential. */
const SENSITIVE_TOKENS = new Set([
  "SECRET",
  "TOKEN",
  "CREDENTIAL",
  "CREDENTIALS",
  "APIKEY",
  "PRIVATEKEY",
  "ACCESSKEY",
]);
/** Adjacent token pairs that mark a credential. */
const SENSITIVE_PAIRS = new Set([
  "API_KEY",
  "PRIVATE_KEY",
  "ACCESS_KEY",
  "SECRET_KEY",
  "SIGNING_KEY",
  "ENCRYPTION_KEY",
  "MASTER_KEY",
]);
/** A last token that makes the name describe a credential's metadata, not hold one (`TOKEN_URL`). */
const METADATA_SUFFIXES = new Set([
  "FILE",
  "PATH",
  "DIR",
  "URL",
  "URI",
  "ENDPOINT",
  "HOST",
  "PORT",
  "NAME",
  "REF",
  "TTL",
  "TIMEOUT",
  "EXPIRY",
  "EXPIRATION",
  "LENGTH",
  "SIZE",
  "COUNT",
  "LIMIT",
  "MIN",
  "MAX",
  "ENABLED",
  "TYPE",
  "HEADER",
  "MOUNT",
  "KEYREF",
  "VERSION",
  "ROTATION",
  "REGION",
  "ISSUER",
  "AUDIENCE",
  "ALGORITHM",
  "SCOPE",
  "SCOPES",
  "PREFIX",
  "FORMAT",
  "MODE",
  "STORE",
  "PROVIDER",
  "LOCATION",
]);

/** Split a name into upper-case tokens: `dbPassword` and `db.password` both give `DB`, `PASSWORD`. */
function tokens(name: string): string[] {
  // ASCII names (nearly all) are split in one pass; others take the regular expressions below, which
  // define the result (`toUpperCase` can change the length of non-ASCII text).
  const out: string[] = [];
  let start = -1;
  let prevLowerOrDigit = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return tokensSlow(name);
    const upper = c >= 0x41 && c <= 0x5a;
    const lowerOrDigit = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (!upper && !lowerOrDigit) {
      if (start >= 0) out.push(name.slice(start, i).toUpperCase());
      start = -1;
    } else {
      // `dbPassword`: a capital after a lower-case letter or digit starts a token.
      if (upper && prevLowerOrDigit && start >= 0) {
        out.push(name.slice(start, i).toUpperCase());
        start = i;
      }
      if (start < 0) start = i;
    }
    prevLowerOrDigit = lowerOrDigit;
  }
  if (start >= 0) out.push(name.slice(start).toUpperCase());
  return out;
}

function tokensSlow(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((t) => t !== "");
}

/**
 * Whether an env var or config key name says it holds a credential: a token PASSWORD / PASSWD /
 * PASSPHRASE (also inside a token, `DBPASSWORD`), SECRET, TOKEN, CREDENTIAL(S), APIKEY, or the pairs
 * API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY, SIGNING_KEY, ENCRYPTION_KEY, MASTER_KEY; unless the
 * last token names metadata about it (`_FILE`, `_PATH`, `_URL`, `_NAME`, `_TTL` …).
 *
 * @example isSensitiveName("DB_PASSWORD") // => true
 * @example isSensitiveName("TOKEN_URL") // => false
 */
export function isSensitiveName(name: string): boolean {
  // Most names hold none of the marking words at all; for ASCII names (whose tokens are substrings
  // of the name, upper-cased) that settles it without splitting or a memo entry.
  if (!NON_ASCII.test(name) && !MARKING_WORD.test(name)) return false;
  // The same names (env vars, config keys) recur across thousands of resources: remember the answer.
  let known = sensitiveNames.get(name);
  if (known === undefined) {
    if (sensitiveNames.size >= SENSITIVE_NAME_CACHE) sensitiveNames.clear();
    known = computeSensitiveName(name);
    sensitiveNames.set(name, known);
  }
  return known;
}

const NON_ASCII = /[\u0080-\uffff]/;
/** A word every sensitive name holds somewhere: an infix, a whole token, or the last token of a pair. */
const MARKING_WORD = new RegExp(
  [
    ...SENSITIVE_INFIX,
    ...SENSITIVE_TOKENS,
    ...[...SENSITIVE_PAIRS].map((p) => p.slice(p.lastIndexOf("_") + 1)),
  ].join("|"),
  "i",
);

/** Bound on {@link isSensitiveName}'s memo, so adversarial input cannot grow it without limit. */
const SENSITIVE_NAME_CACHE = 4096;
const sensitiveNames = new Map<string, boolean>();

function computeSensitiveName(name: string): boolean {
  const t = tokens(name);
  const last = t[t.length - 1];
  if (last === undefined || METADATA_SUFFIXES.has(last)) return false;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i] as string;
    if (SENSITIVE_TOKENS.has(tok)) return true;
    if (SENSITIVE_INFIX.some((s) => tok.includes(s))) return true;
    const next = t[i + 1];
    if (next !== undefined && SENSITIVE_PAIRS.has(`${tok}_${next}`)) return true;
  }
  return false;
}

/**
 * Whether a value under a sensitive name is a literal credential rather than a reference or a
 * non-value: empty, `$(VAR)` / `${VAR}` / `{{ … }}` / `<…>` placeholders, booleans, null, a file path,
 * a YAML block indicator, or a reference to an external store (`vault:`, `ref+`, `arn:`, `ENC(…)`).
 */
export function isLiteralValue(raw: string): boolean {
  let v = raw.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1).trim();
  if (v === "") return false;
  if (/^(?:true|false|yes|no|null|none|nil|~)$/i.test(v)) return false;
  if (/^[|>{}[\]\-+:,!]*$/.test(v)) return false;
  if (/^(?:\$\([A-Za-z_][A-Za-z0-9_]*\))+$/.test(v)) return false;
  if (/^\$\{.*\}$/.test(v) || /^\{\{.*\}\}$/.test(v) || /^<[^>]*>$/.test(v) || /^%\(.*\)s$/.test(v))
    return false;
  if (/^(?:\/|\.\/|\.\.\/|~\/|file:)/.test(v)) return false;
  if (/^(?:vault:|ref\+|arn:|ENC\(|!)/.test(v)) return false;
  return true;
}

/**
 * Decode standard base64 (as in Secret `data`) to a binary string; `undefined` when it is not base64.
 * Uses the global `atob`, present in every runtime kubeguard supports.
 */
export function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (compact === "" || compact.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  try {
    return atob(compact);
  } catch {
    return undefined;
  }
}

/** `apiVersion` is in an API group, any version: `external-secrets.io/v1beta1` is in `external-secrets.io`. */
export function inGroup(resource: Resource, group: string): boolean {
  return resource.apiVersion.startsWith(`${group}/`);
}

/** A core v1 Secret (the ingest also sees CRDs that happen to be called Secret). */
export function isCoreSecret(resource: Resource): boolean {
  return resource.kind === "Secret" && resource.apiVersion === "v1";
}

/** The kind of a Secret: `type`, `Opaque` when unset. */
export function secretType(object: KObject): string {
  return asNonEmptyString(object.type) ?? "Opaque";
}

/** Where Secrets come from in the input: names by namespace, plus names provided in every namespace. */
export interface SecretProviders {
  byNamespace: NamespacedIndex<string>;
  /** Names a ClusterExternalSecret with a namespace selector writes into every namespace it selects. */
  everywhere: Map<string, string>;
}

/**
 * Every Secret name the input provides, with what provides it: Secrets (a snapshot's metadata-only
 * Secrets included), ExternalSecrets (`spec.target.name`, else `metadata.name`), ClusterExternalSecrets
 * (into `spec.namespaces`, or every namespace when selected by label), SealedSecrets
 * (`spec.template.metadata.name`, else `metadata.name`), SecretProviderClasses
 * (`spec.secretObjects[].secretName`) and Vault Secrets Operator secrets (`spec.destination.name`).
 */
export const secretProviders = perInventory((inventory): SecretProviders => {
  const byNamespace = new NamespacedIndex<string>();
  const everywhere = new Map<string, string>();
  for (const r of inventory.byKind("Secret"))
    if (isCoreSecret(r)) byNamespace.add(r.namespace, r.name, "Secret");
  for (const r of inventory.byKind("ExternalSecret")) {
    if (!inGroup(r, "external-secrets.io")) continue;
    const target = asNonEmptyString(asObject(asObject(r.object.spec)?.target)?.name) ?? r.name;
    byNamespace.add(r.namespace, target, "ExternalSecret");
  }
  for (const r of inventory.byKind("ClusterExternalSecret")) {
    if (!inGroup(r, "external-secrets.io")) continue;
    const spec = asObject(r.object.spec);
    const esSpec = asObject(spec?.externalSecretSpec);
    const target =
      asNonEmptyString(asObject(esSpec?.target)?.name) ??
      asNonEmptyString(spec?.externalSecretName) ??
      r.name;
    for (const ns of asList(spec?.namespaces)) {
      if (typeof ns === "string" && ns !== "") byNamespace.add(ns, target, "ClusterExternalSecret");
    }
    if (spec?.namespaceSelector !== undefined || spec?.namespaceSelectors !== undefined) {
      if (!everywhere.has(target)) everywhere.set(target, "ClusterExternalSecret");
    }
  }
  for (const r of inventory.byKind("SealedSecret")) {
    if (!inGroup(r, "bitnami.com")) continue;
    const meta = asObject(asObject(asObject(r.object.spec)?.template)?.metadata);
    byNamespace.add(
      asNonEmptyString(meta?.namespace) ?? r.namespace,
      asNonEmptyString(meta?.name) ?? r.name,
      "SealedSecret",
    );
  }
  for (const r of inventory.byKind("SecretProviderClass")) {
    if (!inGroup(r, "secrets-store.csi.x-k8s.io")) continue;
    for (const item of asList(asObject(r.object.spec)?.secretObjects)) {
      const name = asNonEmptyString(asObject(item)?.secretName);
      if (name) byNamespace.add(r.namespace, name, "SecretProviderClass");
    }
  }
  for (const kind of ["VaultStaticSecret", "VaultDynamicSecret", "VaultPKISecret", "HCPVaultSecretsApp"]) {
    for (const r of inventory.byKind(kind)) {
      if (!inGroup(r, "secrets.hashicorp.com")) continue;
      const name = asNonEmptyString(asObject(asObject(r.object.spec)?.destination)?.name);
      if (name) byNamespace.add(r.namespace, name, kind);
    }
  }
  return { byNamespace, everywhere };
});
