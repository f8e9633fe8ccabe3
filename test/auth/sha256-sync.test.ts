/**
 * The synchronous SHA-256 equals WebCrypto's on the standard vectors, on every length around the block
 * boundaries, and on random inputs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256HexSync } from "../../src/auth/sha256-sync.ts";
import { sha256Hex } from "../../src/store/crypto.ts";

describe("sha256HexSync", () => {
  it("matches the FIPS 180-2 vectors", () => {
    expect(sha256HexSync("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256HexSync("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256HexSync("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(sha256HexSync("a".repeat(1_000_000))).toBe(
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    );
  });

  it("equals WebCrypto for every length from 0 to 200 and for random strings and bytes", async () => {
    for (let n = 0; n <= 200; n++) {
      const text = "é".repeat(n % 7) + "k".repeat(n);
      expect(sha256HexSync(text), String(n)).toBe(await sha256Hex(text));
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 300 }), async (s) => {
        expect(sha256HexSync(s)).toBe(await sha256Hex(s));
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (b) => {
        expect(sha256HexSync(b)).toBe(await sha256Hex(b));
      }),
      { numRuns: 200 },
    );
  });
});
