/**
 * GitHub-style signatures: GitHub's documented example, node:crypto cross-checks with a whsec_ secret
 * used as a UTF-8 string, tampering and malformed headers.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GITHUB_SIGNATURE_HEADER, signGithub, verifyGithub } from "../../src/webhooks/github.ts";
import { generateWebhookSecret } from "../../src/webhooks/standard.ts";

// GitHub's "Validating webhook deliveries" example.
const GH = {
  secret: "It's a Secret to Everybody",
  body: "Hello, World!",
  header: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
};

describe("signGithub", () => {
  it("reproduces GitHub's documented example", async () => {
    expect(await signGithub(GH.secret, GH.body)).toBe(GH.header);
  });

  it("keys the HMAC with the whole whsec_ string as UTF-8", async () => {
    for (let i = 0; i < 10; i++) {
      const secret = generateWebhookSecret();
      const body = `{"ref":"refs/heads/main","i":${i},"ü":"✓"}`;
      const expected = `sha256=${createHmac("sha256", Buffer.from(secret, "utf8")).update(body).digest("hex")}`;
      expect(await signGithub(secret, body)).toBe(expected);
      expect(await signGithub(secret, new TextEncoder().encode(body))).toBe(expected);
      // not the decoded key bytes
      const decoded = Buffer.from(secret.slice(6), "base64");
      expect(expected).not.toBe(`sha256=${createHmac("sha256", decoded).update(body).digest("hex")}`);
    }
  });

  it("names the header lowercase", () => {
    expect(GITHUB_SIGNATURE_HEADER).toBe("x-hub-signature-256");
  });
});

describe("verifyGithub", () => {
  it("accepts GitHub's example, uppercase hex and surrounding whitespace", async () => {
    expect(await verifyGithub(GH.secret, GH.header, GH.body)).toEqual({ ok: true });
    expect((await verifyGithub(GH.secret, `sha256=${GH.header.slice(7).toUpperCase()}`, GH.body)).ok).toBe(
      true,
    );
    expect((await verifyGithub(GH.secret, ` ${GH.header} `, GH.body)).ok).toBe(true);
    expect((await verifyGithub(GH.secret, GH.header, new TextEncoder().encode(GH.body))).ok).toBe(true);
  });

  it("round-trips with signGithub", async () => {
    const secret = generateWebhookSecret();
    const body = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n";
    expect((await verifyGithub(secret, await signGithub(secret, body), body)).ok).toBe(true);
  });

  it.each([
    ["body changed", GH.header, "Hello, World?"],
    ["trailing newline", GH.header, "Hello, World!\n"],
    ["empty body", GH.header, ""],
    ["digit changed", GH.header.replace(/7$/, "8"), GH.body],
    ["truncated", GH.header.slice(0, -1), GH.body],
    ["too long", `${GH.header}0`, GH.body],
    ["SHA-1 form", `sha1=${createHmac("sha1", GH.secret).update(GH.body).digest("hex")}`, GH.body],
    ["no prefix", GH.header.slice(7), GH.body],
    ["uppercase prefix", GH.header.replace("sha256", "SHA256"), GH.body],
    ["base64", `sha256=${Buffer.from(GH.header.slice(7), "hex").toString("base64")}`, GH.body],
    ["non-hex", `sha256=${"g".repeat(64)}`, GH.body],
    ["two signatures", `${GH.header},${GH.header}`, GH.body],
  ])("refuses: %s", async (_, header, body) => {
    expect((await verifyGithub(GH.secret, header, body)).ok).toBe(false);
  });

  it("refuses a different secret", async () => {
    expect(await verifyGithub("It's a Secret to Everybody!", GH.header, GH.body)).toEqual({
      ok: false,
      reason: "X-Hub-Signature-256 does not match",
    });
  });

  it("refuses a missing header", async () => {
    for (const header of [undefined, null, ""]) {
      expect(await verifyGithub(GH.secret, header, GH.body)).toEqual({
        ok: false,
        reason: "missing X-Hub-Signature-256 header",
      });
    }
  });

  it("throws for an empty secret", async () => {
    await expect(verifyGithub("", GH.header, GH.body)).rejects.toThrow(TypeError);
  });
});
