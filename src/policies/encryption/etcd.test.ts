import { describe, expect, it } from "vitest";
import { etcdIdentityFirst } from "./etcd-identity-first.ts";
import { etcdKmsV1 } from "./etcd-kms-v1.ts";
import { etcdPlaceholderKey } from "./etcd-placeholder-key.ts";
import { etcdSecretsNotCovered } from "./etcd-secrets-not-covered.ts";
import { etcdWeakProvider } from "./etcd-weak-provider.ts";
import { ctxOf, run, shown } from "./test-helpers.ts";
import { coversSecrets, secretsRule } from "./util.ts";

const KEY = "Pve/FxErKiMQ4pYGj7UyfHFghKQCfVYf9unuBTTSHz0=";
const KEY2 = "2NQ57CNIa+K+h5uxVdJrYixO1wLMKIqcwilJNcGVN3Q=";

const P = {
  identity: "- identity: {}",
  aescbc: `- aescbc:\n    keys:\n      - name: key1\n        secret: ${KEY}`,
  aesgcm: `- aesgcm:\n    keys:\n      - name: key1\n        secret: ${KEY}`,
  secretbox: `- secretbox:\n    keys:\n      - name: key1\n        secret: ${KEY2}`,
  kms1: "- kms:\n    name: plugin\n    endpoint: unix:///tmp/kms.sock",
  kms1x: "- kms:\n    apiVersion: v1\n    name: plugin\n    endpoint: unix:///tmp/kms.sock",
  kms2: "- kms:\n    apiVersion: v2\n    name: plugin\n    endpoint: unix:///tmp/kms.sock",
} as const;

function indent(s: string, n: number): string {
  return s
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");
}

/** An EncryptionConfiguration with entries of [resources, providers]. */
function config(
  entries: [string[], (keyof typeof P)[]][],
  head = "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration",
): string {
  const body = entries
    .map(
      ([res, prov]) =>
        `  - resources:\n${res.map((r) => `      - "${r}"`).join("\n")}\n    providers:\n${prov.map((p) => indent(P[p], 6)).join("\n")}`,
    )
    .join("\n");
  return `${head}\nresources:\n${body}\n`;
}

const ALL = [etcdSecretsNotCovered, etcdIdentityFirst, etcdWeakProvider, etcdKmsV1, etcdPlaceholderKey];

/** check id → messages, for every etcd config check. */
function verdicts(yaml: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of ALL) {
    const f = run(c, yaml);
    if (f.length) out[c.id] = f.map((x) => x.message);
  }
  return out;
}

describe("coversSecrets", () => {
  it.each([
    ["secrets", true],
    ["secrets.", true],
    ["*.", true],
    ["*.*", true],
    ["*.apps", false],
    ["secrets.apps", false],
    ["secrets.example.com", false],
    ["Secrets", false],
    ["configmaps", false],
    ["secrets.*", false],
    ["*", false],
    ["", false],
  ])("%j → %s", (name, want) => {
    expect(coversSecrets(name)).toBe(want);
  });
});

describe("which rule decides for Secrets", () => {
  it("the first covering entry wins, later ones are shadowed", () => {
    const yaml = config([
      [["configmaps"], ["aescbc"]],
      [["*."], ["identity"]],
      [["secrets"], ["kms2"]],
    ]);
    const rule = secretsRule(ctxOf(yaml).inventory.resources[0]!.object);
    expect(rule?.index).toBe(1);
    expect(rule?.matched).toBe("*.");
    expect(rule?.shadowed).toEqual([{ index: 2, matched: "secrets" }]);
  });
});

describe("EncryptionConfiguration verdicts", () => {
  it.each<[string, [string[], (keyof typeof P)[]][], string[]]>([
    [
      "[identity, aescbc] writes plaintext",
      [[["secrets"], ["identity", "aescbc"]]],
      ["encryption.etcd-identity-first"],
    ],
    ["[identity] alone", [[["secrets"], ["identity"]]], ["encryption.etcd-identity-first"]],
    [
      "[aescbc, identity] is judged by aescbc",
      [[["secrets"], ["aescbc", "identity"]]],
      ["encryption.etcd-weak-provider"],
    ],
    ["[aesgcm, identity]", [[["secrets"], ["aesgcm", "identity"]]], ["encryption.etcd-weak-provider"]],
    ["[secretbox, identity] passes", [[["secrets"], ["secretbox", "identity"]]], []],
    ["[kms v2, aescbc, identity] passes", [[["secrets"], ["kms2", "aescbc", "identity"]]], []],
    ["[kms (no apiVersion)]", [[["secrets"], ["kms1", "identity"]]], ["encryption.etcd-kms-v1"]],
    ["[kms apiVersion v1]", [[["secrets"], ["kms1x"]]], ["encryption.etcd-kms-v1"]],
    ["secrets. (core group spelled out)", [[["secrets."], ["kms2"]]], []],
    ["*. covers Secrets", [[["*."], ["identity"]]], ["encryption.etcd-identity-first"]],
    ["*.* covers Secrets", [[["*.*"], ["aescbc"]]], ["encryption.etcd-weak-provider"]],
    ["*.apps does not cover Secrets", [[["*.apps"], ["kms2"]]], ["encryption.etcd-secrets-not-covered"]],
    ["configmaps only", [[["configmaps"], ["secretbox"]]], ["encryption.etcd-secrets-not-covered"]],
    [
      "an earlier *. with identity shadows a later secrets entry with kms v2",
      [
        [["*."], ["identity"]],
        [["secrets"], ["kms2"]],
      ],
      ["encryption.etcd-identity-first"],
    ],
    [
      "an earlier secrets entry with kms v2 takes precedence over a later *.* identity",
      [
        [["secrets"], ["kms2"]],
        [["*.*"], ["identity"]],
      ],
      [],
    ],
    [
      "a name listed twice: the first entry's providers write",
      [
        [["secrets"], ["aesgcm"]],
        [["secrets"], ["secretbox"]],
      ],
      ["encryption.etcd-weak-provider"],
    ],
    [
      "events excluded first, then everything with secretbox",
      [
        [["events"], ["identity"]],
        [["*.*"], ["secretbox"]],
      ],
      [],
    ],
  ])("%s", (_name, entries, want) => {
    expect(Object.keys(verdicts(config(entries))).sort()).toEqual([...want].sort());
  });

  it("names the entry, the match, the later providers and the shadowed entry", () => {
    const f = run(
      etcdIdentityFirst,
      config([
        [["*."], ["identity", "aescbc"]],
        [["secrets"], ["kms2"]],
      ]),
    );
    expect(f).toHaveLength(1);
    expect(f[0]?.path).toEqual(["resources", 0, "providers", 0, "identity"]);
    expect(f[0]?.message).toBe(
      'EncryptionConfiguration resources[0] (covering Secrets through "*.") has identity as providers[0]: new Secrets are written to etcd in plaintext; providers[1] (aescbc) is only used to read data already written with it; the later resources[1] ("secrets") never applies to Secrets (the first matching entry wins, and kube-apiserver refuses to start when an earlier wildcard masks a later rule)',
    );
  });

  it("accepts identity written without a value", () => {
    const yaml = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - identity:
      - aescbc: {keys: [{name: k, secret: ${KEY}}]}
`;
    expect(run(etcdIdentityFirst, yaml)).toHaveLength(1);
  });

  it("reads the legacy v1 EncryptionConfig and ignores look-alikes", () => {
    const legacy = config([[["secrets"], ["identity", "aescbc"]]], "apiVersion: v1\nkind: EncryptionConfig");
    expect(run(etcdIdentityFirst, legacy)).toHaveLength(1);
    const wrong = config([[["secrets"], ["identity"]]], "apiVersion: v1\nkind: EncryptionConfiguration");
    expect(etcdIdentityFirst.applies(ctxOf(wrong))).toBe(false);
  });

  it("paths: the resources list, or the object when resources is missing", () => {
    const f = run(etcdSecretsNotCovered, config([[["configmaps"], ["secretbox"]]]));
    expect(f[0]?.path).toEqual(["resources"]);
    const g = run(
      etcdSecretsNotCovered,
      "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n",
    );
    expect(g[0]?.path).toEqual([]);
    expect(g[0]?.message).toContain("does not list secrets");
  });

  it("KMS v1 paths: apiVersion when explicit, the provider when defaulted", () => {
    expect(run(etcdKmsV1, config([[["secrets"], ["kms1x"]]]))[0]?.path).toEqual([
      "resources",
      0,
      "providers",
      0,
      "kms",
      "apiVersion",
    ]);
    const d = run(etcdKmsV1, config([[["secrets"], ["kms1"]]]))[0];
    expect(d?.path).toEqual(["resources", 0, "providers", 0, "kms"]);
    expect(d?.message).toContain("kms.apiVersion unset, which means v1");
  });

  it("weak provider messages say why", () => {
    expect(run(etcdWeakProvider, config([[["secrets"], ["aescbc"]]]))[0]?.message).toContain(
      "padding-oracle",
    );
    expect(run(etcdWeakProvider, config([[["secrets"], ["aesgcm"]]]))[0]?.message).toContain(
      "200,000 writes",
    );
  });

  it("never throws on odd shapes", () => {
    const odd = [
      "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: x\n",
      "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [null, 3, {resources: secrets, providers: 5}]\n",
      "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [{resources: [secrets], providers: [null, {unknown: {}}, {aescbc: {keys: [null, 5, {name: 3}]}}]}]\n",
    ];
    for (const y of odd) {
      for (const c of ALL) expect(() => run(c, y)).not.toThrow();
    }
    expect(run(etcdSecretsNotCovered, odd[0]!)).toHaveLength(1);
  });
});

describe("encryption.etcd-placeholder-key", () => {
  function withSecret(type: string, secret: string | null): string {
    return `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - ${type}:
          keys:
            - name: key1
              secret: ${secret === null ? "" : JSON.stringify(secret)}
`;
  }

  it.each<[string, string, string | null, string | undefined, string | undefined]>([
    ["random 32-byte aescbc key", "aescbc", KEY, undefined, undefined],
    ["random 32-byte secretbox key", "secretbox", KEY2, undefined, undefined],
    ["random key with a trailing newline (Go ignores CR/LF)", "secretbox", `${KEY2}\n`, undefined, undefined],
    ["documentation example", "aescbc", "c2VjcmV0IGlzIHNlY3VyZQ==", "example key published", "high"],
    [
      "documentation secretbox example",
      "secretbox",
      "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=",
      "example key",
      "high",
    ],
    ["placeholder", "aescbc", "<BASE 64 ENCODED SECRET>", "not base64", undefined],
    ["missing secret", "aesgcm", null, "has no secret", undefined],
    ["16 bytes for secretbox", "secretbox", "MDEyMzQ1Njc4OWFiY2RlZg==", "not a 32-byte key", undefined],
    [
      "20 bytes for aesgcm",
      "aesgcm",
      "q83vASNFZ4mrze8BI0VniavN7wE=",
      "not a 16-, 24- or 32-byte key",
      undefined,
    ],
    [
      "all zero bytes",
      "aescbc",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "one repeated byte",
      undefined,
    ],
    ["a passphrase", "aescbc", "bXktc3VwZXItc2VjcmV0LXBhc3NwaHJhc2UtMTIzNDU=", "printable text", undefined],
  ])("%s", (_name, type, secret, want, severity) => {
    const f = run(etcdPlaceholderKey, withSecret(type, secret));
    if (!want) {
      expect(f).toEqual([]);
      return;
    }
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toContain(want);
    expect(f[0]?.message).toContain(`.${type} key "key1"`);
    expect(f[0]?.severity).toBe(severity);
    expect(f[0]?.path).toEqual(["resources", 0, "providers", 0, type, "keys", 0]);
    if (secret) expect(shown(f[0]!)).not.toContain(secret.trim());
  });

  it("ignores identity and kms providers", () => {
    expect(run(etcdPlaceholderKey, config([[["secrets"], ["kms2", "identity"]]]))).toEqual([]);
  });
});

describe("no key value in any etcd finding", () => {
  it("messages and paths never carry a key secret", () => {
    const secrets = ["c2VjcmV0IGlzIHNlY3VyZQ==", "<BASE 64 ENCODED SECRET>", KEY];
    const yaml = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: ["*."]
    providers:
      - identity: {}
      - aescbc: {keys: [{name: a, secret: "${secrets[0]}"}, {name: b, secret: "${secrets[1]}"}]}
  - resources: [secrets]
    providers:
      - aesgcm: {keys: [{name: c, secret: "${secrets[2]}"}]}
---
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aesgcm: {keys: [{name: c, secret: "${secrets[0]}"}]}
`;
    const all = ALL.flatMap((c) => run(c, yaml));
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const f of all) for (const s of secrets) expect(shown(f)).not.toContain(s);
  });
});
