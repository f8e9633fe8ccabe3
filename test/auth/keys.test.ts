/**
 * API keys, scopes and the platform token: format, unbiased generation, the store's hash and prefix
 * format (src/store/schema.ts), constant-time comparisons and the scope lattice.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  API_KEY_LOOKUP_PREFIX_LENGTH,
  bearerToken,
  generateApiKey,
  hashApiKey,
  isApiKeyFormat,
  isScope,
  keyPrefix,
  platformTokenMatches,
  SCOPES,
  type Scope,
  scopeAllows,
  timingSafeEqualHex,
} from "../../src/auth/keys.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("generateApiKey", () => {
  it("makes kg_ + 40 alphanumerics that pass isApiKeyFormat, all different", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const k = generateApiKey();
      expect(k).toMatch(/^kg_[A-Za-z0-9]{40}$/);
      expect(isApiKeyFormat(k)).toBe(true);
      keys.add(k);
    }
    expect(keys.size).toBe(500);
  });

  it("drops bytes at or above 248 instead of reducing them modulo 62", () => {
    const pattern = [248, 255, 0, 61, 62, 247, 250, 123];
    vi.spyOn(crypto, "getRandomValues").mockImplementation(
      <T extends ArrayBufferView | null>(array: T): T => {
        const bytes = array as unknown as Uint8Array;
        for (let i = 0; i < bytes.length; i++) bytes[i] = pattern[i % pattern.length]!;
        return array;
      },
    );
    const k = generateApiKey();
    // per pattern: 248, 255 and 250 dropped; 0 → A, 61 → 9, 62 → A, 247 → 247 % 62 = 61 → 9, 123 → 61 → 9
    expect(k.slice(3, 13)).toBe("A9A99A9A99");
    expect(k).toHaveLength(43);
  });

  it("uses every character about equally often", () => {
    const counts = new Map<string, number>();
    const n = 2500;
    for (let i = 0; i < n; i++)
      for (const ch of generateApiKey().slice(3)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (n * 40) / 62;
    // chi-square with 61 degrees of freedom: p < 1e-6 beyond ~130
    let chi = 0;
    for (const ch of ALPHABET) chi += ((counts.get(ch) ?? 0) - expected) ** 2 / expected;
    expect(chi).toBeLessThan(130);
  });
});

describe("isApiKeyFormat", () => {
  it.each([
    ["kg_" + "a".repeat(32), true],
    ["kg_" + "Z9".repeat(20), true],
    ["kg_" + "a".repeat(200), true],
    ["kg_" + "a".repeat(31), false],
    ["KG_" + "a".repeat(32), false],
    ["kg-" + "a".repeat(32), false],
    ["kg_" + "a".repeat(31) + "-", false],
    ["kg_" + "a".repeat(32) + "\n", false],
    [" kg_" + "a".repeat(32), false],
    ["", false],
    ["kg_", false],
  ])("%j → %s", (s, ok) => {
    expect(isApiKeyFormat(s)).toBe(ok);
  });
});

describe("keyPrefix and hashApiKey (the store's format)", () => {
  it("keeps kg_ and 8 characters, as api_keys.prefix", () => {
    expect(API_KEY_LOOKUP_PREFIX_LENGTH).toBe(11);
    expect(keyPrefix("kg_AbCdEfGh1234567890123456789012345678")).toBe("kg_AbCdEfGh");
    const k = generateApiKey();
    expect(keyPrefix(k)).toBe(k.slice(0, 11));
    expect(k.startsWith(keyPrefix(k))).toBe(true);
  });

  it("hashes the whole key as lowercase hex SHA-256", async () => {
    for (let i = 0; i < 20; i++) {
      const k = generateApiKey();
      const h = await hashApiKey(k);
      expect(h).toMatch(/^[0-9a-f]{64}$/);
      expect(h).toBe(createHash("sha256").update(k).digest("hex"));
    }
    expect(await hashApiKey("kg_" + "a".repeat(32))).not.toBe(await hashApiKey("kg_" + "a".repeat(31) + "b"));
  });
});

describe("timingSafeEqualHex", () => {
  it("compares digests", async () => {
    const h = await hashApiKey(generateApiKey());
    expect(timingSafeEqualHex(h, h)).toBe(true);
    expect(timingSafeEqualHex(h, `${h.slice(0, 63)}${h[63] === "0" ? "1" : "0"}`)).toBe(false);
    expect(timingSafeEqualHex(h.slice(0, 62), h)).toBe(false);
    expect(timingSafeEqualHex(h + "00", h)).toBe(false);
    expect(timingSafeEqualHex("", h)).toBe(false);
    expect(timingSafeEqualHex(h.toUpperCase(), h)).toBe(false);
  });
});

describe("scopes", () => {
  it("lists the four scopes of issue 5", () => {
    expect([...SCOPES]).toEqual(["admin", "scan", "read", "admission"]);
    expect(isScope("scan")).toBe(true);
    expect(isScope("write")).toBe(false);
    expect(isScope(1)).toBe(false);
  });

  // admin ⊇ scan ⊇ read; admission separate in both directions
  const matrix: Record<Scope, Record<Scope, boolean>> = {
    admin: { admin: true, scan: true, read: true, admission: false },
    scan: { admin: false, scan: true, read: true, admission: false },
    read: { admin: false, scan: false, read: true, admission: false },
    admission: { admin: false, scan: false, read: false, admission: true },
  };
  for (const held of SCOPES) {
    for (const needed of SCOPES) {
      it(`${held} ${matrix[held][needed] ? "grants" : "does not grant"} ${needed}`, () => {
        expect(scopeAllows([held], needed)).toBe(matrix[held][needed]);
      });
    }
  }

  it("combines several scopes and ignores unknown ones", () => {
    expect(scopeAllows(["read", "admission"], "admission")).toBe(true);
    expect(scopeAllows(["read", "admission"], "read")).toBe(true);
    expect(scopeAllows(["read", "admission"], "scan")).toBe(false);
    expect(scopeAllows([], "read")).toBe(false);
    expect(scopeAllows(["superuser", "ADMIN", "*"], "read")).toBe(false);
  });
});

describe("platformTokenMatches", () => {
  const token = "pt_0123456789abcdefghijklmnopqrstuv";
  it("matches only the configured token", () => {
    expect(platformTokenMatches(token, token)).toBe(true);
    expect(platformTokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(platformTokenMatches(token + "x", token)).toBe(false);
    expect(platformTokenMatches(token.toUpperCase(), token)).toBe(false);
    expect(platformTokenMatches("", token)).toBe(false);
    expect(platformTokenMatches(undefined, token)).toBe(false);
    expect(platformTokenMatches(null, token)).toBe(false);
  });

  it("is off when no token is configured", () => {
    expect(platformTokenMatches("", "")).toBe(false);
    expect(platformTokenMatches("anything", undefined)).toBe(false);
    expect(platformTokenMatches(undefined, undefined)).toBe(false);
    expect(platformTokenMatches("", null)).toBe(false);
  });
});

describe("bearerToken", () => {
  it.each([
    ["Bearer kg_abc", "kg_abc"],
    ["bearer kg_abc", "kg_abc"],
    ["BEARER   kg_abc  ", "kg_abc"],
    ["Bearer", undefined],
    ["Bearer ", undefined],
    ["Bearer a b", undefined],
    ["Basic dXNlcjpwYXNz", undefined],
    ["kg_abc", undefined],
    ["", undefined],
  ])("%j → %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
  it("takes a missing header", () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });
});
