/**
 * Standard Webhooks: the spec's example vector, node:crypto cross-checks, tampering, clock skew both
 * ways, malformed headers, several signatures, and the id handed back for replay dedupe.
 */
import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decodeWebhookSecret,
  generateWebhookSecret,
  signStandard,
  verifyStandard,
} from "../../src/webhooks/standard.ts";

// The example of the Standard Webhooks spec and reference libraries.
const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const SPEC_NOW = new Date(SPEC.timestamp * 1000);

function nodeSign(secret: string, id: string, ts: number | string, body: string | Uint8Array): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const h = createHmac("sha256", key).update(`${id}.${ts}.`);
  h.update(body);
  return `v1,${h.digest("base64")}`;
}

function headers(id: string, ts: number | string, sig: string) {
  return { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sig };
}

describe("generateWebhookSecret", () => {
  it("is whsec_ + base64 of 32 random bytes", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const s = generateWebhookSecret();
      expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(decodeWebhookSecret(s)).toHaveLength(32);
      expect(Buffer.from(s.slice(6), "base64")).toHaveLength(32);
      seen.add(s);
    }
    expect(seen.size).toBe(100);
  });
});

describe("decodeWebhookSecret", () => {
  it("decodes whsec_ and bare base64 secrets of 24 to 64 bytes", () => {
    expect(decodeWebhookSecret(SPEC.secret)).toHaveLength(24);
    expect(decodeWebhookSecret(SPEC.secret.slice(6))).toEqual(decodeWebhookSecret(SPEC.secret));
    expect(decodeWebhookSecret(`whsec_${Buffer.alloc(64, 1).toString("base64")}`)).toHaveLength(64);
  });
  it.each([
    ["whsec_", "empty"],
    ["whsec_not base64!", "not base64"],
    [`whsec_${Buffer.alloc(16).toString("base64")}`, "16 bytes"],
    [`whsec_${Buffer.alloc(65).toString("base64")}`, "65 bytes"],
  ])("throws a TypeError for %s (%s)", (secret) => {
    expect(() => decodeWebhookSecret(secret)).toThrow(TypeError);
  });
});

describe("signStandard", () => {
  it("reproduces the spec's example", async () => {
    expect(await signStandard(SPEC.secret, SPEC)).toBe(SPEC.signature);
    expect(nodeSign(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it("agrees with node:crypto for random secrets, ids and bodies, string or bytes", async () => {
    for (let i = 0; i < 25; i++) {
      const secret = generateWebhookSecret();
      const id = `msg_${randomBytes(8).toString("hex")}`;
      const timestamp = 1_700_000_000 + i;
      const text = `{"n":${i},"s":"ünï ✓ ${randomBytes(4).toString("hex")}"}`;
      const expected = nodeSign(secret, id, timestamp, text);
      expect(await signStandard(secret, { id, timestamp, body: text })).toBe(expected);
      const bytes = new TextEncoder().encode(text);
      expect(await signStandard(secret, { id, timestamp, body: bytes })).toBe(expected);
      expect(await signStandard(secret, { id, timestamp, body: bytes.buffer })).toBe(expected);
    }
  });

  it("signs a binary body byte for byte", async () => {
    const secret = generateWebhookSecret();
    const body = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
    expect(await signStandard(secret, { id: "msg_1", timestamp: 1, body })).toBe(
      nodeSign(secret, "msg_1", 1, body),
    );
  });

  it("refuses ids that would make the signed content ambiguous and fractional timestamps", async () => {
    await expect(signStandard(SPEC.secret, { ...SPEC, id: "a.b" })).rejects.toThrow(TypeError);
    await expect(signStandard(SPEC.secret, { ...SPEC, id: "" })).rejects.toThrow(TypeError);
    await expect(signStandard(SPEC.secret, { ...SPEC, id: "a b" })).rejects.toThrow(TypeError);
    await expect(signStandard(SPEC.secret, { ...SPEC, timestamp: 1.5 })).rejects.toThrow(RangeError);
    await expect(signStandard(SPEC.secret, { ...SPEC, timestamp: -1 })).rejects.toThrow(RangeError);
    await expect(signStandard("whsec_short", SPEC)).rejects.toThrow(TypeError);
  });
});

describe("verifyStandard", () => {
  const h = headers(SPEC.id, SPEC.timestamp, SPEC.signature);

  it("accepts the spec's example and returns the id and timestamp", async () => {
    expect(await verifyStandard(SPEC.secret, h, SPEC.body, SPEC_NOW)).toEqual({
      ok: true,
      id: SPEC.id,
      timestamp: SPEC.timestamp,
    });
  });

  it("reads a Headers object and header names in any case", async () => {
    expect((await verifyStandard(SPEC.secret, new Headers(h), SPEC.body, SPEC_NOW)).ok).toBe(true);
    const mixed = {
      "Webhook-Id": SPEC.id,
      "WEBHOOK-TIMESTAMP": String(SPEC.timestamp),
      "webhook-Signature": SPEC.signature,
    };
    expect((await verifyStandard(SPEC.secret, mixed, SPEC.body, SPEC_NOW)).ok).toBe(true);
  });

  it("verifies bytes the same as the string", async () => {
    const bytes = new TextEncoder().encode(SPEC.body);
    expect((await verifyStandard(SPEC.secret, h, bytes, SPEC_NOW)).ok).toBe(true);
    expect((await verifyStandard(SPEC.secret, h, bytes.buffer, SPEC_NOW)).ok).toBe(true);
  });

  it("round-trips with signStandard", async () => {
    const secret = generateWebhookSecret();
    const now = new Date("2026-05-01T10:00:00Z");
    const ts = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify({ manifests: "apiVersion: v1\nkind: Pod\n" });
    const sig = await signStandard(secret, { id: "msg_x", timestamp: ts, body });
    expect(await verifyStandard(secret, headers("msg_x", ts, sig), body, now)).toEqual({
      ok: true,
      id: "msg_x",
      timestamp: ts,
    });
  });

  describe("tampering", () => {
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    it.each([
      ["body changed", { body: '{"test": 2432232315}' }],
      ["body with a trailing newline", { body: `${SPEC.body}\n` }],
      ["body re-serialised", { body: JSON.stringify(JSON.parse(SPEC.body)) }],
      ["empty body", { body: "" }],
      ["id changed", { id: "msg_p5jXN8AQM9LWM0D4loKWxJel" }],
      ["timestamp changed by a second", { ts: String(SPEC.timestamp + 1) }],
      ["timestamp with a leading zero", { ts: `0${SPEC.timestamp}` }],
      ["signature byte changed", { sig: flip(SPEC.signature, 10) }],
      ["signature truncated", { sig: SPEC.signature.slice(0, -2) }],
      ["signature with extra characters", { sig: `${SPEC.signature}AA` }],
      ["signature unpadded", { sig: SPEC.signature.replace(/=$/, "") }],
      ["signature as hex", { sig: `v1,${Buffer.from(SPEC.signature.slice(3), "base64").toString("hex")}` }],
      ["version v2", { sig: SPEC.signature.replace("v1,", "v2,") }],
      ["asymmetric v1a", { sig: SPEC.signature.replace("v1,", "v1a,") }],
      ["no version", { sig: SPEC.signature.slice(3) }],
      ["version only", { sig: "v1," }],
      ["wrong separator", { sig: SPEC.signature.replace(",", "=") }],
    ])("refuses: %s", async (_, change: { body?: string; id?: string; ts?: string; sig?: string }) => {
      const r = await verifyStandard(
        SPEC.secret,
        headers(change.id ?? SPEC.id, change.ts ?? SPEC.timestamp, change.sig ?? SPEC.signature),
        change.body ?? SPEC.body,
        SPEC_NOW,
      );
      expect(r.ok).toBe(false);
    });

    it("refuses another tenant's secret", async () => {
      const r = await verifyStandard(generateWebhookSecret(), h, SPEC.body, SPEC_NOW);
      expect(r).toEqual({ ok: false, reason: "no matching webhook-signature", id: SPEC.id });
    });
  });

  describe("several signatures", () => {
    const other = nodeSign(generateWebhookSecret(), SPEC.id, SPEC.timestamp, SPEC.body);
    it.each([
      ["wrong then right", `${other} ${SPEC.signature}`],
      ["right then wrong", `${SPEC.signature} ${other}`],
      ["other versions around it", `v1a,abcd ${SPEC.signature} v2,xyz`],
      ["junk entries", `garbage ,, ${SPEC.signature}`],
      ["double spaces", `${other}  ${SPEC.signature}`],
    ])("accepts any matching v1 entry: %s", async (_, sig) => {
      expect(
        (await verifyStandard(SPEC.secret, headers(SPEC.id, SPEC.timestamp, sig), SPEC.body, SPEC_NOW)).ok,
      ).toBe(true);
    });
    it("refuses when none match", async () => {
      const sig = `${other} v1a,${SPEC.signature.slice(3)} v1,${other.slice(3, -4)}AAA=`;
      expect(
        (await verifyStandard(SPEC.secret, headers(SPEC.id, SPEC.timestamp, sig), SPEC.body, SPEC_NOW)).ok,
      ).toBe(false);
    });
    it("verifies a key rotation: old and new secret", async () => {
      const oldSecret = generateWebhookSecret();
      const newSecret = generateWebhookSecret();
      const sig = `${nodeSign(oldSecret, "msg_r", SPEC.timestamp, SPEC.body)} ${nodeSign(newSecret, "msg_r", SPEC.timestamp, SPEC.body)}`;
      const hh = headers("msg_r", SPEC.timestamp, sig);
      expect((await verifyStandard(oldSecret, hh, SPEC.body, SPEC_NOW)).ok).toBe(true);
      expect((await verifyStandard(newSecret, hh, SPEC.body, SPEC_NOW)).ok).toBe(true);
    });
  });

  describe("clock skew", () => {
    const at = (deltaSeconds: number) => new Date((SPEC.timestamp + deltaSeconds) * 1000);
    it.each([0, 1, 299, 300, -1, -299, -300])("accepts a timestamp %i s from now", async (delta) => {
      expect((await verifyStandard(SPEC.secret, h, SPEC.body, at(delta))).ok).toBe(true);
    });
    it("accepts fractions of the boundary second", async () => {
      expect(
        (await verifyStandard(SPEC.secret, h, SPEC.body, new Date((SPEC.timestamp + 300) * 1000 + 999))).ok,
      ).toBe(true);
    });
    it("refuses a timestamp more than 5 minutes old", async () => {
      expect(await verifyStandard(SPEC.secret, h, SPEC.body, at(301))).toEqual({
        ok: false,
        reason: "webhook-timestamp is too old",
        id: SPEC.id,
      });
      expect((await verifyStandard(SPEC.secret, h, SPEC.body, at(86_400 * 365))).ok).toBe(false);
    });
    it("refuses a timestamp more than 5 minutes in the future", async () => {
      expect(await verifyStandard(SPEC.secret, h, SPEC.body, at(-301))).toEqual({
        ok: false,
        reason: "webhook-timestamp is too far in the future",
        id: SPEC.id,
      });
      expect((await verifyStandard(SPEC.secret, h, SPEC.body, new Date(0))).ok).toBe(false);
    });
    it("honours a custom tolerance", async () => {
      expect((await verifyStandard(SPEC.secret, h, SPEC.body, at(30), 30)).ok).toBe(true);
      expect((await verifyStandard(SPEC.secret, h, SPEC.body, at(31), 30)).ok).toBe(false);
      expect((await verifyStandard(SPEC.secret, h, SPEC.body, at(-31), 30)).ok).toBe(false);
    });
    it("checks the timestamp even when the signature is valid for it", async () => {
      const ts = SPEC.timestamp - 3600;
      const sig = nodeSign(SPEC.secret, SPEC.id, ts, SPEC.body);
      expect((await verifyStandard(SPEC.secret, headers(SPEC.id, ts, sig), SPEC.body, SPEC_NOW)).ok).toBe(
        false,
      );
    });
  });

  describe("malformed headers", () => {
    it.each([
      "abc",
      "1614265330.5",
      "-1614265330",
      "1.614265330e9",
      " 1614265330",
      "1614265330 ",
      "0x6037d9f2",
      "",
      "+1614265330",
      "1".repeat(16),
    ])("refuses the timestamp %j", async (ts) => {
      const r = await verifyStandard(SPEC.secret, headers(SPEC.id, ts, SPEC.signature), SPEC.body, SPEC_NOW);
      expect(r.ok).toBe(false);
    });
    it("says which header is missing", async () => {
      const { "webhook-id": _i, ...noId } = h;
      const { "webhook-timestamp": _t, ...noTs } = h;
      const { "webhook-signature": _s, ...noSig } = h;
      expect(await verifyStandard(SPEC.secret, noId, SPEC.body, SPEC_NOW)).toEqual({
        ok: false,
        reason: "missing webhook-id header",
      });
      expect(await verifyStandard(SPEC.secret, noTs, SPEC.body, SPEC_NOW)).toMatchObject({
        ok: false,
        reason: "missing webhook-timestamp header",
      });
      expect(await verifyStandard(SPEC.secret, noSig, SPEC.body, SPEC_NOW)).toMatchObject({
        ok: false,
        reason: "missing webhook-signature header",
      });
      expect((await verifyStandard(SPEC.secret, {}, SPEC.body, SPEC_NOW)).ok).toBe(false);
      expect((await verifyStandard(SPEC.secret, new Headers(), SPEC.body, SPEC_NOW)).ok).toBe(false);
      expect(
        (await verifyStandard(SPEC.secret, { ...h, "webhook-signature": null }, SPEC.body, SPEC_NOW)).ok,
      ).toBe(false);
      expect((await verifyStandard(SPEC.secret, { ...h, "webhook-id": "" }, SPEC.body, SPEC_NOW)).ok).toBe(
        false,
      );
    });
    it.each(["a.b", "x".repeat(257), "msg 1", "msg\u00e9"])("refuses the id %j", async (id) => {
      const sig = nodeSign(SPEC.secret, id, SPEC.timestamp, SPEC.body);
      expect(
        (await verifyStandard(SPEC.secret, headers(id, SPEC.timestamp, sig), SPEC.body, SPEC_NOW)).ok,
      ).toBe(false);
    });
    it("throws for a broken secret: the server's fault, not the sender's", async () => {
      await expect(verifyStandard("whsec_!!", h, SPEC.body, SPEC_NOW)).rejects.toThrow(TypeError);
    });
  });

  describe("replay", () => {
    it("returns the same id for a replayed request so the caller can dedupe it", async () => {
      const seen = new Set<string>();
      const scans: string[] = [];
      async function receive(at: Date) {
        const v = await verifyStandard(SPEC.secret, h, SPEC.body, at);
        if (!v.ok) return "401";
        if (seen.has(v.id)) return "replay";
        seen.add(v.id);
        scans.push(v.id);
        return "created";
      }
      expect(await receive(SPEC_NOW)).toBe("created");
      expect(await receive(new Date(SPEC_NOW.getTime() + 60_000))).toBe("replay");
      expect(await receive(new Date(SPEC_NOW.getTime() + 301_000))).toBe("401"); // too old to replay at all
      expect(scans).toEqual([SPEC.id]);
    });
  });
});
