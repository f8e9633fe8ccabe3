/**
 * Byte helpers: encodings against node:crypto and Buffer, and the constant-time comparisons.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  base64ToBytes,
  bytesToBase64,
  bytesToHex,
  concatBytes,
  hexToBytes,
  hmacSha256,
  sha256,
  timingSafeEqualBytes,
  timingSafeEqualString,
  toBytes,
} from "../../src/auth/bytes.ts";

describe("encodings", () => {
  it("round-trips base64 and hex for every length up to 70 and a large buffer", () => {
    for (const n of [...Array.from({ length: 71 }, (_, i) => i), 100_000]) {
      const bytes = new Uint8Array(randomBytes(n));
      const b64 = bytesToBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString("base64"));
      expect(base64ToBytes(b64)).toEqual(bytes);
      const hex = bytesToHex(bytes);
      expect(hex).toBe(Buffer.from(bytes).toString("hex"));
      expect(hexToBytes(hex)).toEqual(bytes);
    }
  });

  it("refuses malformed base64 and hex", () => {
    for (const bad of ["a b", "@@@@", "AQID\n", "A===", "AQ=D", "A", "AQID=", "==", "AQ==="]) {
      expect(base64ToBytes(bad)).toBeUndefined();
    }
    expect(base64ToBytes("")).toEqual(new Uint8Array());
    expect(base64ToBytes("AQI")).toEqual(new Uint8Array([1, 2])); // unpadded is fine
    for (const bad of ["0", "zz", "0g", "00 "]) expect(hexToBytes(bad)).toBeUndefined();
    expect(hexToBytes("")).toEqual(new Uint8Array());
    expect(hexToBytes("ABcd")).toEqual(new Uint8Array([0xab, 0xcd]));
  });

  it("takes strings as UTF-8 and views without copying", () => {
    expect(toBytes("é")).toEqual(new Uint8Array([0xc3, 0xa9]));
    const buf = new Uint8Array([1, 2, 3, 4]);
    const view = buf.subarray(1, 3);
    expect(toBytes(view)).toEqual(new Uint8Array([2, 3]));
    expect(toBytes(buf.buffer)).toEqual(buf);
    expect(concatBytes(toBytes("a."), new Uint8Array(), toBytes("b"))).toEqual(toBytes("a.b"));
  });
});

describe("digests", () => {
  it("sha256 and hmacSha256 agree with node:crypto", async () => {
    for (const msg of ["", "abc", "ünïcödé ✓", "x".repeat(10_000)]) {
      expect(bytesToHex(await sha256(msg))).toBe(createHash("sha256").update(msg).digest("hex"));
      expect(bytesToHex(await hmacSha256("k3y", msg))).toBe(
        createHmac("sha256", "k3y").update(msg).digest("hex"),
      );
    }
    expect(bytesToHex(await sha256("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(bytesToHex(await hmacSha256("key", "The quick brown fox jumps over the lazy dog"))).toBe(
      "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    );
  });
});

describe("timingSafeEqualBytes / timingSafeEqualString", () => {
  it("is equality", () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(timingSafeEqualBytes(a, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqualBytes(a, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqualBytes(a, new Uint8Array([0, 2, 3]))).toBe(false);
    expect(timingSafeEqualBytes(new Uint8Array(), new Uint8Array())).toBe(true);
  });

  it("is false on any length mismatch, including prefixes and repetitions", () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(timingSafeEqualBytes(new Uint8Array([1, 2]), a)).toBe(false);
    expect(timingSafeEqualBytes(new Uint8Array([1, 2, 3, 1, 2, 3]), a)).toBe(false);
    expect(timingSafeEqualBytes(new Uint8Array(), a)).toBe(false);
    expect(timingSafeEqualBytes(a, new Uint8Array())).toBe(false);
    // given repeated to the expected length would match byte for byte: the length still decides
    expect(timingSafeEqualBytes(new Uint8Array([7]), new Uint8Array([7, 7, 7]))).toBe(false);
  });

  it("compares strings as UTF-8", () => {
    expect(timingSafeEqualString("v1,abc", "v1,abc")).toBe(true);
    expect(timingSafeEqualString("é", "e\u0301")).toBe(false);
    expect(timingSafeEqualString("", "")).toBe(true);
    expect(timingSafeEqualString("a", "")).toBe(false);
  });
});
