import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { runCheck } from "../testing.ts";
import type { ClusterCheck, RawFinding, ResourceCheck } from "../types.ts";
import { credentialInConfigmap } from "./credential-in-configmap.ts";
import { externalSecretStoreMissing } from "./external-secret-store-missing.ts";
import { secretsChecks } from "./index.ts";
import { literalCredentialInEnv } from "./literal-credential-in-env.ts";
import { plaintextSecretInManifest } from "./plaintext-secret-in-manifest.ts";
import { secretAsEnvVar } from "./secret-as-env-var.ts";
import { secretManagedByHand } from "./secret-managed-by-hand.ts";
import { secretNotProvided } from "./secret-not-provided.ts";
import { decodeBase64, isLiteralValue, isSensitiveName, matchCredential } from "./util.ts";

type Runnable = ResourceCheck | ClusterCheck;
const runnable = secretsChecks.filter((c): c is Runnable => c.scope !== "pss");

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8");

/**
 * Run a check over YAML text; a ClusterSnapshot document is expanded into its items and run as a
 * snapshot, as ingest does.
 */
function run(check: Runnable, text: string, opts: { snapshot?: boolean } = {}): RawFinding[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0]?.toJS() as { kind?: string; items?: unknown[] } | undefined;
  if (list.length === 1 && first?.kind === "ClusterSnapshot") {
    const items = (first.items ?? []).map((item) => stringify(item)).join("---\n");
    return runCheck(check, items, { snapshot: true });
  }
  return runCheck(check, text, opts);
}

const summary = (findings: RawFinding[]) =>
  findings.map((f) => ({
    message: f.message,
    path: f.path.join("."),
    ...(f.severity ? { severity: f.severity } : {}),
  }));

function pod(containerYaml: string, specExtra = ""): string {
  const body = containerYaml
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
${specExtra}  containers:
${body}
`;
}

const b64 = (s: string) => btoa(s);

// Credential-shaped test values (fake, in the formats scanners recognise).
const PRIVATE_KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4";
const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${PRIVATE_KEY_BODY}\n-----END RSA PRIVATE KEY-----\n`;
const VALUES = {
  aws: "AKIAIOSFODNN7EXAMPLE",
  awsSecret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  github: "ghp_Zt8qL2xV9mNcR4wKp7YbJ3sHd6FgA1eU0oIv",
  githubPat: "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX",
  slack: "xoxb-2048-4096-Xy7kP9qRt3LmN5vB",
  jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImlhdCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXZhbHVlLWhlcmU",
  url: "postgres://shop:Tr4nsit-Loc0motive-99@db.shop.svc:5432/shop",
  urlPassword: "Tr4nsit-Loc0motive-99",
  password: "M4ilR00m-Parcel-77",
};

// Metadata and pass/fail fixtures of every check are asserted for all modules in test/registry.test.ts.

describe("detection helpers", () => {
  it.each([
    ["DB_PASSWORD", true],
    ["dbPassword", true],
    ["db.password", true],
    ["MYSQL_ROOT_PASSWD", true],
    ["DBPASSWORD", true],
    ["CLIENT_SECRET", true],
    ["GITHUB_TOKEN", true],
    ["STRIPE_API_KEY", true],
    ["stripeApiKey", true],
    ["SENDGRID_APIKEY", true],
    ["AWS_ACCESS_KEY_ID", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["JWT_PRIVATE_KEY", true],
    ["GCP_CREDENTIALS", true],
    ["SECRET_KEY_BASE", true],
    ["DB_PASSWORD_FILE", false],
    ["passwordFile", false],
    ["TOKEN_URL", false],
    ["TOKEN_TTL", false],
    ["SECRET_NAME", false],
    ["SECRETS_DIR", false],
    ["PUBLIC_KEY", false],
    ["LOG_LEVEL", false],
    ["KEYCLOAK_REALM", false],
    ["", false],
    // Names without a marking word are settled before tokenising, but only ASCII ones: upper-casing
    // "ſ" (long s) gives "S", so this name has the token SECRET though it does not contain "secret".
    ["ſecret", true],
    ["db-PASSword", true],
    ["ENV_3_5558", false],
  ])("isSensitiveName(%j) = %s", (name, expected) => {
    expect(isSensitiveName(name)).toBe(expected);
  });

  it.each([
    ["hunter2-xyz", true],
    ['"quoted"', true],
    ["1234", true],
    ["", false],
    ["   ", false],
    ['""', false],
    ["$(DB_PASSWORD)", false],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax is under test
    ["${DB_PASSWORD}", false],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax is under test
    ["${DB_PASSWORD:-}", false],
    ["{{ .Values.db.password }}", false],
    ["<changeme>", false],
    ["true", false],
    ["null", false],
    ["|", false],
    ["/run/secrets/db", false],
    ["ENC(abc)", false],
    ["vault:secret/data/db#password", false],
    ["ref+awssecrets://shop/db", false],
    ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", false],
  ])("isLiteralValue(%j) = %s", (value, expected) => {
    expect(isLiteralValue(value)).toBe(expected);
  });

  it.each([
    [PRIVATE_KEY, "a private key block", true],
    ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n", "a private key block", true],
    ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "a private key block", true],
    [VALUES.aws, "an AWS access key ID", true],
    ["ASIAY34FZKBOKMUTVV7A", "an AWS access key ID", true],
    [VALUES.github, "a GitHub token", false],
    [VALUES.githubPat, "a GitHub token", false],
    ["gho_16C7e42F292c6912E7710c838347Ae178B4a", "a GitHub token", false],
    [VALUES.slack, "a Slack token", false],
    [VALUES.jwt, "a JSON Web Token", false],
    [VALUES.url, "a URL with an embedded password", false],
    ["redis://:s0me-Pass@cache:6379", "a URL with an embedded password", false],
  ])("matchCredential recognises %#", (value, description, critical) => {
    expect(matchCredential(value)).toMatchObject({ description, critical });
  });

  it.each([
    ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"],
    ["-----BEGIN PUBLIC KEY-----"],
    ["XAKIAIOSFODNN7EXAMPLE1"],
    ["ghp_short"],
    ["postgres://shop:$(DB_PASSWORD)@db:5432/shop"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax is under test
    ["postgres://shop:${DB_PASSWORD}@db:5432/shop"],
    ["postgres://shop:****@db:5432/shop"],
    ["https://example.com:8443/path@v2"],
    ["jdbc:postgresql://db.shop.svc:5432/shop"],
    ["eyJ"],
  ])("matchCredential ignores %j", (value) => {
    expect(matchCredential(value)).toBeUndefined();
  });

  it("decodes base64 and refuses what is not base64", () => {
    expect(decodeBase64(b64("hello"))).toBe("hello");
    expect(decodeBase64("aGVs\nbG8=")).toBe("hello");
    expect(decodeBase64("not base64!")).toBeUndefined();
    expect(decodeBase64("")).toBeUndefined();
    expect(decodeBase64("abcde")).toBeUndefined();
  });
});

describe("secrets.plaintext-secret-in-manifest", () => {
  const secret = (body: string) =>
    `apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\n${body}\n`;
  it.each([
    [
      "data and stringData, one finding per field",
      `type: Opaque\ndata:\n  username: ${b64("shop")}\n  password: ${b64(VALUES.password)}\nstringData:\n  token: abc`,
      [
        {
          message: 'Secret "db" carries 2 values in data (keys "username", "password") in the manifest',
          path: "data",
        },
        {
          message: 'Secret "db" carries 1 value in stringData (key "token") in the manifest',
          path: "stringData",
        },
      ],
    ],
    [
      "critical for a TLS private key",
      `type: kubernetes.io/tls\ndata:\n  tls.crt: ${b64("-----BEGIN CERTIFICATE-----\nMIIB\n")}\n  tls.key: ${b64(PRIVATE_KEY)}`,
      [
        {
          message:
            'Secret "db" carries 2 values in data (keys "tls.crt", "tls.key") in the manifest; key "tls.key" looks like a private key block',
          path: "data",
          severity: "critical",
        },
      ],
    ],
    [
      "critical for an AWS key in stringData",
      `stringData:\n  AWS_ACCESS_KEY_ID: ${VALUES.aws}\n  AWS_SECRET_ACCESS_KEY: ${VALUES.awsSecret}`,
      [
        {
          message:
            'Secret "db" carries 2 values in stringData (keys "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") in the manifest; key "AWS_ACCESS_KEY_ID" looks like an AWS access key ID',
          path: "stringData",
          severity: "critical",
        },
      ],
    ],
    ["service-account token without data", "type: kubernetes.io/service-account-token", []],
    ["empty values only", 'data:\n  password: ""\nstringData: {}', []],
    ["wrong-typed data", "data: [1, 2]\nstringData: secret", []],
    [
      "service-account token with data",
      `type: kubernetes.io/service-account-token\ndata:\n  token: ${b64(VALUES.jwt)}`,
      [{ message: 'Secret "db" carries 1 value in data (key "token") in the manifest', path: "data" }],
    ],
  ])("%s", (_t, body, expected) => {
    expect(summary(run(plaintextSecretInManifest, secret(body)))).toEqual(expected);
  });

  it("names at most ten keys", () => {
    const keys = Array.from({ length: 12 }, (_, i) => `  k${i}: dmFsdWU=`).join("\n");
    const [f] = run(plaintextSecretInManifest, secret(`data:\n${keys}`));
    expect(f?.message).toContain('"k9" and 2 more');
  });

  it("does not apply to a cluster snapshot", () => {
    const text = secret(`data:\n  password: ${b64(VALUES.password)}`);
    expect(run(plaintextSecretInManifest, text, { snapshot: true })).toEqual([]);
    expect(plaintextSecretInManifest.applies?.({ inventory: { snapshot: {} } } as never)).toBe(false);
    expect(plaintextSecretInManifest.applies?.({ inventory: {} } as never)).toBe(true);
  });

  it("ignores Secret kinds of other API groups", () => {
    const text = `apiVersion: example.com/v1\nkind: Secret\nmetadata: {name: x}\ndata: {a: YQ==}\n`;
    expect(run(plaintextSecretInManifest, text)).toEqual([]);
  });
});

describe("secrets.literal-credential-in-env", () => {
  const envPath = (i: number) => `spec.containers.0.env.${i}.value`;
  it("reports sensitive names with literal values and known patterns under any name", () => {
    const text = pod(`
- name: api
  image: a:1
  env:
    - {name: DB_PASSWORD, value: "${VALUES.password}"}
    - {name: UPLOAD, value: ${VALUES.aws}}
    - {name: DEPLOY, value: ${VALUES.github}}
    - {name: NOTIFY, value: ${VALUES.slack}}
    - {name: SESSION, value: ${VALUES.jwt}}
    - {name: DATABASE_URL, value: "${VALUES.url}"}
    - {name: SIGNING, value: "${PRIVATE_KEY.replace(/\n/g, "\\n")}"}
    - {name: LOG_LEVEL, value: debug}
    - {name: DB_PASSWORD_FILE, value: /run/secrets/db}
    - {name: API_TOKEN, value: ""}
    - {name: API_TOKEN2, value: "$(TOKEN_FROM_SECRET)"}
    - {name: CLIENT_SECRET, valueFrom: {secretKeyRef: {name: s, key: k}}}
    - {name: WEIRD, value: 12}
    - "not an object"
`);
    expect(summary(run(literalCredentialInEnv, text))).toEqual([
      {
        message: 'Pod "api" container "api" env "DB_PASSWORD" has a sensitive name and a literal value',
        path: envPath(0),
      },
      {
        message:
          'Pod "api" container "api" env "UPLOAD" has a literal value that looks like an AWS access key ID',
        path: envPath(1),
        severity: "critical",
      },
      {
        message: 'Pod "api" container "api" env "DEPLOY" has a literal value that looks like a GitHub token',
        path: envPath(2),
      },
      {
        message: 'Pod "api" container "api" env "NOTIFY" has a literal value that looks like a Slack token',
        path: envPath(3),
      },
      {
        message:
          'Pod "api" container "api" env "SESSION" has a literal value that looks like a JSON Web Token',
        path: envPath(4),
      },
      {
        message:
          'Pod "api" container "api" env "DATABASE_URL" has a literal value that looks like a URL with an embedded password',
        path: envPath(5),
      },
      {
        message:
          'Pod "api" container "api" env "SIGNING" has a literal value that looks like a private key block',
        path: envPath(6),
        severity: "critical",
      },
    ]);
  });

  it("covers init containers and controller templates", () => {
    const text = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      initContainers:
        - {name: wait, image: a:1, env: [{name: ADMIN_TOKEN, value: letmein-now}]}
      containers: [{name: run, image: a:1}]
`;
    expect(summary(run(literalCredentialInEnv, text))).toEqual([
      {
        message:
          'Job "migrate" init container "wait" env "ADMIN_TOKEN" has a sensitive name and a literal value',
        path: "spec.template.spec.initContainers.0.env.0.value",
      },
    ]);
  });
});

describe("secrets.credential-in-configmap", () => {
  const cm = (body: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\n${body}\n`;
  it("reports sensitive keys, known patterns and embedded settings, one finding per entry", () => {
    const text = cm(`data:
  LOG_LEVEL: info
  SMTP_PASSWORD: ${VALUES.password}
  SMTP_PASSWORD_FILE: /etc/smtp/password
  EMPTY_TOKEN: ""
  bot: ${VALUES.slack}
  application.yaml: |
    server:
      port: 8080
    spring:
      datasource:
        password: "${VALUES.urlPassword}"
        url: jdbc:postgresql://db:5432/shop
    # token: old-commented-out-value
    oauth:
      client-secret: \${OAUTH_CLIENT_SECRET}
      clientSecret: k3y-Value-Here
  settings.json: |
    {
      "apiKey": "${VALUES.password}",
      "region": "eu-west-1"
    }
  id_rsa: |
${PRIVATE_KEY.split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
binaryData:
  creds.bin: ${b64(`aws_access_key_id = ${VALUES.aws}\n`)}
  blob.bin: ${b64("\u0000\u0001binary")}
  broken: "%%%"
`);
    expect(summary(run(credentialInConfigmap, text))).toEqual([
      {
        message: 'ConfigMap "app" key "SMTP_PASSWORD" has a sensitive name and a literal value',
        path: "data.SMTP_PASSWORD",
      },
      { message: 'ConfigMap "app" key "bot" has a value that looks like a Slack token', path: "data.bot" },
      {
        message:
          'ConfigMap "app" key "application.yaml" sets sensitive settings to literal values: "password" (line 5), "clientSecret" (line 10)',
        path: "data.application.yaml",
      },
      {
        message:
          'ConfigMap "app" key "settings.json" sets sensitive settings to literal values: "apiKey" (line 2)',
        path: "data.settings.json",
      },
      {
        message: 'ConfigMap "app" key "id_rsa" has a value that looks like a private key block',
        path: "data.id_rsa",
        severity: "critical",
      },
      {
        message: 'ConfigMap "app" key "creds.bin" has a value that looks like an AWS access key ID',
        path: "binaryData.creds.bin",
        severity: "critical",
      },
    ]);
  });

  it("passes a ConfigMap with placeholders and public data", () => {
    const text = cm(`data:
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUQ
    -----END CERTIFICATE-----
  app.properties: |
    db.password=\${DB_PASSWORD}
    api.token={{ .Values.token }}
    jwt.secret=ENC(bXk=)
    password.min-length=12
`);
    expect(run(credentialInConfigmap, text)).toEqual([]);
  });

  it("also runs on cluster snapshots", () => {
    const text = cm(`data:\n  API_KEY: ${VALUES.password}`);
    expect(run(credentialInConfigmap, text, { snapshot: true })).toHaveLength(1);
  });
});

describe("secrets.secret-as-env-var", () => {
  it("reports each secretKeyRef and envFrom secretRef", () => {
    const text = pod(`
- name: api
  image: a:1
  env:
    - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: MODE, valueFrom: {configMapKeyRef: {name: cfg, key: mode}}}
  envFrom:
    - configMapRef: {name: cfg}
    - secretRef: {name: api-keys}
`);
    expect(summary(run(secretAsEnvVar, text))).toEqual([
      {
        message: 'Pod "api" container "api" reads key "password" of Secret "db" into env "DB_PASSWORD"',
        path: "spec.containers.0.env.0.valueFrom.secretKeyRef",
      },
      {
        message:
          'Pod "api" container "api" loads every key of Secret "api-keys" into its environment (envFrom)',
        path: "spec.containers.0.envFrom.1.secretRef",
      },
    ]);
  });
});

describe("secrets.secret-not-provided", () => {
  const workload = pod(
    `
- name: api
  image: a:1
  env:
    - {name: A, valueFrom: {secretKeyRef: {name: from-env, key: k}}}
    - {name: B, valueFrom: {secretKeyRef: {name: from-env, key: k2}}}
    - {name: C, valueFrom: {secretKeyRef: {name: optional-one, key: k, optional: true}}}
  envFrom:
    - secretRef: {name: from-envfrom}
`,
    `  imagePullSecrets: [{name: pull}]
  volumes:
    - {name: v1, secret: {secretName: from-volume}}
    - name: v2
      projected:
        sources:
          - secret: {name: from-projected}
          - configMap: {name: cfg}
`,
  );
  const refs = [
    {
      message:
        'Pod "api" references Secret "from-volume" (volume "v1"), which no Secret, ExternalSecret, SealedSecret or SecretProviderClass in the input provides',
      path: "spec.volumes.0.secret.secretName",
    },
    {
      message:
        'Pod "api" references Secret "from-projected" (volume "v2"), which no Secret, ExternalSecret, SealedSecret or SecretProviderClass in the input provides',
      path: "spec.volumes.1.projected.sources.0.secret.name",
    },
    {
      message:
        'Pod "api" references Secret "from-env" (container "api" env "A"), which no Secret, ExternalSecret, SealedSecret or SecretProviderClass in the input provides',
      path: "spec.containers.0.env.0.valueFrom.secretKeyRef.name",
    },
    {
      message:
        'Pod "api" references Secret "from-envfrom" (container "api" envFrom), which no Secret, ExternalSecret, SealedSecret or SecretProviderClass in the input provides',
      path: "spec.containers.0.envFrom.0.secretRef.name",
    },
    {
      message:
        'Pod "api" references Secret "pull" (imagePullSecrets), which no Secret, ExternalSecret, SealedSecret or SecretProviderClass in the input provides',
      path: "spec.imagePullSecrets.0.name",
    },
  ];

  it("reports each required reference once, skipping optional ones", () => {
    expect(summary(run(secretNotProvided, workload))).toEqual(refs);
  });

  it("accepts every kind of provider in the same namespace", () => {
    const providers = `---
apiVersion: v1
kind: Secret
metadata: {name: from-volume, namespace: shop}
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: es, namespace: shop}
spec: {target: {name: from-projected}, secretStoreRef: {name: s}}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: from-env, namespace: shop}
spec: {secretStoreRef: {name: s}}
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: sealed, namespace: shop}
spec: {template: {metadata: {name: from-envfrom}}}
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata: {name: spc, namespace: shop}
spec: {secretObjects: [{secretName: pull}]}
`;
    expect(run(secretNotProvided, workload + providers)).toEqual([]);
  });

  it("does not accept providers in another namespace or of another API group", () => {
    const providers = `---
apiVersion: v1
kind: Secret
metadata: {name: from-volume, namespace: other}
---
apiVersion: example.com/v1
kind: ExternalSecret
metadata: {name: from-env, namespace: shop}
`;
    expect(run(secretNotProvided, workload + providers)).toHaveLength(5);
  });

  it("accepts ClusterExternalSecrets by namespace list or selector, and Vault Secrets Operator destinations", () => {
    const providers = `---
apiVersion: external-secrets.io/v1beta1
kind: ClusterExternalSecret
metadata: {name: shared}
spec:
  namespaces: [shop]
  externalSecretSpec: {target: {name: from-volume}, secretStoreRef: {kind: ClusterSecretStore, name: s}}
---
apiVersion: external-secrets.io/v1beta1
kind: ClusterExternalSecret
metadata: {name: everywhere}
spec:
  externalSecretName: pull
  namespaceSelector: {matchLabels: {team: shop}}
---
apiVersion: secrets.hashicorp.com/v1beta1
kind: VaultStaticSecret
metadata: {name: vss, namespace: shop}
spec: {destination: {name: from-env, create: true}}
`;
    expect(summary(run(secretNotProvided, workload + providers)).map((f) => f.path)).toEqual([
      "spec.volumes.1.projected.sources.0.secret.name",
      "spec.containers.0.envFrom.0.secretRef.name",
    ]);
  });

  it("counts metadata-only Secrets of a snapshot as defined", () => {
    const secrets = ["from-volume", "from-projected", "from-env", "from-envfrom", "pull"]
      .map(
        (n) => `---\napiVersion: v1\nkind: Secret\nmetadata: {name: ${n}, namespace: shop}\ntype: Opaque\n`,
      )
      .join("");
    expect(run(secretNotProvided, workload + secrets, { snapshot: true })).toEqual([]);
  });
});

describe("secrets.external-secret-store-missing", () => {
  const es = (spec: string, ns = "shop", apiVersion = "external-secrets.io/v1") =>
    `apiVersion: ${apiVersion}\nkind: ExternalSecret\nmetadata: {name: db, namespace: ${ns}}\nspec:\n${spec}\n`;
  const store = (kind: string, name: string, ns?: string) =>
    `---\napiVersion: external-secrets.io/v1\nkind: ${kind}\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ""}}\nspec: {provider: {fake: {}}}\n`;

  it.each([
    [
      "SecretStore in the same namespace",
      "  secretStoreRef: {name: vault}",
      store("SecretStore", "vault", "shop"),
      [],
    ],
    [
      "ClusterSecretStore present",
      "  secretStoreRef: {kind: ClusterSecretStore, name: aws}",
      store("ClusterSecretStore", "aws"),
      [],
    ],
    [
      "SecretStore in another namespace",
      "  secretStoreRef: {kind: SecretStore, name: vault}",
      store("SecretStore", "vault", "payments"),
      [
        {
          message:
            'ExternalSecret "db" references SecretStore "vault", which is not in the input in namespace "shop"',
          path: "spec.secretStoreRef.name",
        },
      ],
    ],
    [
      "ClusterSecretStore absent (a SecretStore of that name does not count)",
      "  secretStoreRef: {kind: ClusterSecretStore, name: aws}",
      store("SecretStore", "aws", "shop"),
      [
        {
          message: 'ExternalSecret "db" references ClusterSecretStore "aws", which is not in the input',
          path: "spec.secretStoreRef.name",
        },
      ],
    ],
    [
      "per-entry store references, generators skipped, duplicates once",
      `  secretStoreRef: {name: vault}
  data:
    - {secretKey: a, remoteRef: {key: a}, sourceRef: {storeRef: {name: other, kind: ClusterSecretStore}}}
    - {secretKey: b, remoteRef: {key: b}, sourceRef: {storeRef: {name: other, kind: ClusterSecretStore}}}
  dataFrom:
    - sourceRef: {generatorRef: {apiVersion: generators.external-secrets.io/v1alpha1, kind: Password, name: pw}}`,
      store("SecretStore", "vault", "shop"),
      [
        {
          message: 'ExternalSecret "db" references ClusterSecretStore "other", which is not in the input',
          path: "spec.data.0.sourceRef.storeRef.name",
        },
      ],
    ],
  ])("%s", (_t, spec, extra, expected) => {
    expect(summary(run(externalSecretStoreMissing, es(spec) + extra))).toEqual(expected);
  });

  it("checks ClusterExternalSecrets in their listed namespaces", () => {
    const text = `apiVersion: external-secrets.io/v1beta1
kind: ClusterExternalSecret
metadata: {name: shared}
spec:
  namespaces: [shop, payments]
  externalSecretSpec:
    secretStoreRef: {name: vault}
${store("SecretStore", "vault", "shop")}`;
    expect(summary(run(externalSecretStoreMissing, text))).toEqual([
      {
        message:
          'ClusterExternalSecret "shared" references SecretStore "vault", which is not in the input in namespace "payments"',
        path: "spec.externalSecretSpec.secretStoreRef.name",
      },
    ]);
  });

  it("ignores ExternalSecret kinds of other API groups", () => {
    expect(
      run(externalSecretStoreMissing, es("  secretStoreRef: {name: x}", "shop", "example.com/v1")),
    ).toEqual([]);
  });
});

describe("secrets.secret-managed-by-hand", () => {
  const secret = (name: string, meta: string, type?: string) =>
    `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: shop\n${meta}${type ? `type: ${type}\n` : ""}`;
  const text = [
    secret("plain", "", "Opaque"),
    secret("untyped", ""),
    secret("registry", "", "kubernetes.io/dockerconfigjson"),
    secret("basic", "", "kubernetes.io/basic-auth"),
    secret(
      "es-owned",
      "  ownerReferences: [{apiVersion: external-secrets.io/v1, kind: ExternalSecret, name: x, uid: u}]\n",
      "Opaque",
    ),
    secret(
      "operator-owned",
      "  ownerReferences: [{apiVersion: acid.zalan.do/v1, kind: postgresql, name: x, uid: u}]\n",
    ),
    secret("es-orphan", '  labels: {reconcile.external-secrets.io/managed: "true"}\n', "Opaque"),
    secret("csi-synced", '  labels: {secrets-store.csi.k8s.io/managed: "true"}\n', "Opaque"),
    secret("sa-token", "", "kubernetes.io/service-account-token"),
    secret("tls", "", "kubernetes.io/tls"),
    secret("helm", "", "helm.sh/release.v1"),
    secret("bootstrap", "", "bootstrap.kubernetes.io/token"),
  ].join("");

  it("reports unowned credential Secrets in a snapshot", () => {
    expect(summary(run(secretManagedByHand, text, { snapshot: true }))).toEqual(
      [
        ["plain", "Opaque"],
        ["untyped", "Opaque"],
        ["registry", "kubernetes.io/dockerconfigjson"],
        ["basic", "kubernetes.io/basic-auth"],
      ].map(([name, type]) => ({
        message: `Secret "${name}" (type ${type}) is not owned by an ExternalSecret or SealedSecret: it is managed by hand`,
        path: "metadata.ownerReferences",
      })),
    );
  });

  it("only applies to cluster snapshots", () => {
    expect(run(secretManagedByHand, text)).toEqual([]);
    expect(secretManagedByHand.applies?.({ inventory: {} } as never)).toBe(false);
    expect(secretManagedByHand.applies?.({ inventory: { snapshot: {} } } as never)).toBe(true);
  });
});

describe("secret values never appear in a finding", () => {
  /** Every credential-shaped value used below, plain and base64-encoded. */
  const SECRETS = [...Object.values(VALUES), PRIVATE_KEY_BODY];
  const ENCODED = SECRETS.map(b64);

  function assertNoLeak(findings: RawFinding[]) {
    for (const f of findings) {
      const haystack = `${f.message}\n${f.path.join("\n")}`;
      for (const value of [...SECRETS, ...ENCODED]) {
        for (let i = 0; i + 6 <= value.length; i++) {
          const piece = value.slice(i, i + 6);
          if (haystack.includes(piece))
            throw new Error(
              `finding of ${f.resource.kind} "${f.resource.name}" leaks "${piece}": ${f.message}`,
            );
        }
      }
    }
  }

  const upload = `apiVersion: v1
kind: Secret
metadata: {name: leaky, namespace: shop}
data:
  aws: ${b64(VALUES.aws)}
  key: ${b64(PRIVATE_KEY)}
stringData:
  deploy-bot: ${VALUES.github}
  url: "${VALUES.url}"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: leaky, namespace: shop}
data:
  SMTP_PASSWORD: ${VALUES.password}
  slack: ${VALUES.slack}
  app.properties: |
    db.password=${VALUES.urlPassword}
    aws.secret-key=${VALUES.awsSecret}
binaryData:
  jwt: ${b64(VALUES.jwt)}
---
${pod(`
- name: api
  image: a:1
  env:
    - {name: AWS_ACCESS_KEY_ID, value: ${VALUES.aws}}
    - {name: AWS_SECRET_ACCESS_KEY, value: "${VALUES.awsSecret}"}
    - {name: GH, value: ${VALUES.githubPat}}
    - {name: SESSION, value: ${VALUES.jwt}}
    - {name: DATABASE_URL, value: "${VALUES.url}"}
    - {name: DB_PASSWORD, value: "${VALUES.password}"}
    - {name: REF, valueFrom: {secretKeyRef: {name: missing, key: k}}}
`)}`;

  it.each(runnable.map((c) => [c.id, c] as const))("%s on an upload", (_id, check) => {
    assertNoLeak(run(check, upload));
    assertNoLeak(run(check, upload, { snapshot: true }));
  });

  it.each(runnable.map((c) => [c.id, c] as const))("%s on every fixture", (_id, check) => {
    for (const name of runnable.flatMap((c) => {
      const n = c.id.slice(c.id.indexOf(".") + 1);
      return [`${n}.pass.yaml`, `${n}.fail.yaml`];
    })) {
      assertNoLeak(run(check, fixture(name)));
    }
  });

  it("the upload does produce findings (so the assertion is not vacuous)", () => {
    const ids = new Set(runnable.flatMap((c) => run(c, upload).map(() => c.id)));
    expect([...ids].sort()).toEqual([
      "secrets.credential-in-configmap",
      "secrets.literal-credential-in-env",
      "secrets.plaintext-secret-in-manifest",
      "secrets.secret-as-env-var",
      "secrets.secret-not-provided",
    ]);
  });
});

describe("pattern matching stays linear on large values", () => {
  it("scans a 1 MiB ConfigMap of adversarial text quickly", () => {
    const run1 = "a".repeat(512 * 1024);
    const spaces = `password:${" ".repeat(200_000)}x ${" ".repeat(200_000)}`;
    const jwtish = "eyJ".repeat(100_000);
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: big, namespace: shop}
data:
  letters: ${run1}
  jwtish: ${jwtish}
  file: ${JSON.stringify(`${spaces}\n${"x:".repeat(100_000)}\n`)}
binaryData:
  blob: ${b64("A".repeat(300_000))}
`;
    const start = performance.now();
    const findings = run(credentialInConfigmap, text);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(summary(findings).map((f) => f.path)).toEqual(["data.file"]);
  });
});
