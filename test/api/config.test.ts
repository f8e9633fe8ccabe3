/**
 * Environment parsing: defaults, limits, and errors that name the variable (never its value).
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadNodeConfig, loadWorkerConfig } from "../../src/config.ts";

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadNodeConfig", () => {
  it("has defaults for everything", () => {
    const config = loadNodeConfig({});
    expect(config).toEqual({
      port: 8787,
      databaseUrl: "file:./data/kubeguard.db",
      scheduleIntervalMs: 600_000,
      rateLimitFlushMs: 100,
      app: {
        maxBodyBytes: 10 * 1024 * 1024,
        limits: { maxBytes: 10 * 1024 * 1024, maxDocuments: 50_000, maxAliases: 100, maxDepth: 64 },
        webhooks: { allowHttp: false, allowPrivate: false, timeoutMs: 5000 },
        tenancy: { requestsPerMinute: 600, scansPerDay: 10_000, retentionDays: 0, retentionMaxScans: 0 },
      },
    });
  });

  it("reads every variable, treating empty as unset", () => {
    const key = `kg_${"a".repeat(32)}`;
    const config = loadNodeConfig({
      PORT: "9000",
      HOST: "127.0.0.1",
      DATABASE_URL: "libsql://db.example.turso.io",
      DATABASE_AUTH_TOKEN: "token",
      KUBEGUARD_BOOTSTRAP_KEY: key,
      KUBEGUARD_MAX_BODY_BYTES: "1048576",
      KUBEGUARD_MAX_DOCUMENTS: "10",
      KUBEGUARD_MAX_ALIASES: "",
    });
    expect(config).toMatchObject({
      port: 9000,
      host: "127.0.0.1",
      databaseUrl: "libsql://db.example.turso.io",
      databaseAuthToken: "token",
      bootstrapKey: key,
    });
    expect(config.app.maxBodyBytes).toBe(1048576);
    expect(config.app.limits).toMatchObject({ maxBytes: 1048576, maxDocuments: 10, maxAliases: 100 });
  });

  it("names every bad variable and never echoes a key", () => {
    const secret = "kg_tooShortButSecret";
    const err = errorOf(() =>
      loadNodeConfig({
        PORT: "eighty",
        DATABASE_URL: "postgres://x",
        KUBEGUARD_BOOTSTRAP_KEY: secret,
        KUBEGUARD_MAX_BODY_BYTES: "-1",
      }),
    );
    for (const name of ["PORT", "DATABASE_URL", "KUBEGUARD_BOOTSTRAP_KEY", "KUBEGUARD_MAX_BODY_BYTES"])
      expect(err.message).toContain(name);
    expect(err.message).toContain("kg_ followed by at least 32 characters");
    expect(err.message).not.toContain(secret);
    expect(errorOf(() => loadNodeConfig({ PORT: "70000" })).message).toContain("PORT");
  });
});

describe("loadWorkerConfig", () => {
  it("reads string and number vars and refuses a malformed key", () => {
    expect(loadWorkerConfig({ DB: {}, KUBEGUARD_MAX_BODY_BYTES: 2048 }).app.maxBodyBytes).toBe(2048);
    expect(errorOf(() => loadWorkerConfig({ KUBEGUARD_BOOTSTRAP_KEY: "nope" })).message).toContain(
      "KUBEGUARD_BOOTSTRAP_KEY",
    );
  });
});

describe("tenancy configuration", () => {
  const token = "p".repeat(32);

  it("reads the platform token, the limit defaults and the schedule interval", () => {
    const config = loadNodeConfig({
      KUBEGUARD_PLATFORM_TOKEN: token,
      KUBEGUARD_DEFAULT_RPM: "60",
      KUBEGUARD_DEFAULT_SCANS_PER_DAY: "100",
      KUBEGUARD_DEFAULT_RETENTION_DAYS: "30",
      KUBEGUARD_DEFAULT_RETENTION_MAX_SCANS: "0",
      KUBEGUARD_SCHEDULE_INTERVAL_SECONDS: "60",
      KUBEGUARD_RATE_LIMIT_FLUSH_MS: "0",
    });
    expect(config.app.platformToken).toBe(token);
    expect(config.rateLimitFlushMs).toBe(0);
    expect(() => loadNodeConfig({ KUBEGUARD_RATE_LIMIT_FLUSH_MS: "soon" })).toThrow(
      /KUBEGUARD_RATE_LIMIT_FLUSH_MS/,
    );
    expect(config.app.tenancy).toEqual({
      requestsPerMinute: 60,
      scansPerDay: 100,
      retentionDays: 30,
      retentionMaxScans: 0,
    });
    expect(config.scheduleIntervalMs).toBe(60_000);
    const worker = loadWorkerConfig({ KUBEGUARD_PLATFORM_TOKEN: token, KUBEGUARD_DEFAULT_RPM: 5 });
    expect(worker.app.platformToken).toBe(token);
    expect(worker.app.tenancy.requestsPerMinute).toBe(5);
  });

  it("leaves the admin API off without a token and refuses a weak one without echoing it", () => {
    expect(loadNodeConfig({ KUBEGUARD_PLATFORM_TOKEN: "" }).app.platformToken).toBeUndefined();
    const weak = "short-secret-token";
    const err = errorOf(() =>
      loadNodeConfig({
        KUBEGUARD_PLATFORM_TOKEN: weak,
        KUBEGUARD_DEFAULT_RPM: "0",
        KUBEGUARD_DEFAULT_RETENTION_DAYS: "-1",
      }),
    );
    expect(err.message).toMatch(/KUBEGUARD_PLATFORM_TOKEN: must be at least 32 characters/);
    expect(err.message).toMatch(/KUBEGUARD_DEFAULT_RPM/);
    expect(err.message).toMatch(/KUBEGUARD_DEFAULT_RETENTION_DAYS/);
    expect(err.message).not.toContain(weak);
    expect(() =>
      loadWorkerConfig({ KUBEGUARD_PLATFORM_TOKEN: `${"p".repeat(20)} ${"q".repeat(20)}` }),
    ).toThrow(/visible ASCII/);
  });
});
