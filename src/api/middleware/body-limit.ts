/**
 * Manifest bodies: the media type is checked first (415), then the size, on `Content-Length` before
 * reading and on the bytes actually streamed while reading (413), so a chunked body cannot slip past
 * the limit. The bytes are kept on the context for the handler.
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiProblem } from "../problem.ts";
import type { AppEnv } from "../types.ts";

/** Media types a manifest body can have. */
export const MANIFEST_MEDIA_TYPES = [
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "application/json",
  "multipart/form-data",
] as const;

const CHARSETS = new Set(["utf-8", "utf8", "us-ascii"]);

/** The media type and charset of a Content-Type header. */
export function parseContentType(header: string): { mediaType: string; charset?: string } {
  const [type = "", ...params] = header.split(";");
  const out: { mediaType: string; charset?: string } = { mediaType: type.trim().toLowerCase() };
  for (const p of params) {
    const [k, v] = p.split("=");
    if (k?.trim().toLowerCase() === "charset" && v)
      out.charset = v.trim().replace(/^"|"$/g, "").toLowerCase();
  }
  return out;
}

function tooLarge(limit: number): ApiProblem {
  return new ApiProblem("payload-too-large", `The body exceeds ${limit} bytes.`);
}

/** Reads a stream into one buffer, failing as soon as it passes `limit` bytes. */
export async function readLimited(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    parts.push(value);
  }
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/**
 * Checks Content-Type, charset and Content-Encoding; returns the media type and the header.
 * @throws {ApiProblem} 415
 */
export function checkManifestType(c: Context<AppEnv>): { mediaType: string; contentType: string } {
  const header = c.req.header("content-type") ?? "";
  const { mediaType, charset } = parseContentType(header);
  if (!(MANIFEST_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    throw new ApiProblem(
      "unsupported-media-type",
      `${mediaType ? `Content-Type ${mediaType} is not accepted` : "Content-Type is missing"}; send ${MANIFEST_MEDIA_TYPES.join(", ")}.`,
      { headers: { "Accept-Post": MANIFEST_MEDIA_TYPES.join(", ") } },
    );
  }
  if (charset && mediaType !== "multipart/form-data" && !CHARSETS.has(charset)) {
    throw new ApiProblem("unsupported-media-type", `charset=${charset} is not accepted; send UTF-8.`);
  }
  const encoding = c.req.header("content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity") {
    throw new ApiProblem(
      "unsupported-media-type",
      `Content-Encoding ${encoding} is not accepted; send the body uncompressed.`,
    );
  }
  return { mediaType, contentType: header };
}

/**
 * Reads the raw body under the configured limit, checking `Content-Length` first.
 * @throws {ApiProblem} 413
 */
export async function readBodyLimited(c: Context<AppEnv>): Promise<Uint8Array> {
  const limit = c.var.deps.config.maxBodyBytes;
  const declared = c.req.header("content-length")?.trim();
  const length = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
  if (length !== undefined && length > limit) throw tooLarge(limit);
  if (length !== undefined) {
    // A declared length is what the HTTP layer reads, so the whole body can be taken at once (the
    // Node adapter's direct path, without a web stream); the size is checked again all the same.
    const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
    if (bytes.byteLength > limit) throw tooLarge(limit);
    return bytes;
  }
  return readLimited(c.req.raw.body, limit);
}

/** Checks Content-Type and Content-Encoding (415) and the size (413); sets `c.var.body`. */
export function manifestBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { mediaType, contentType } = checkManifestType(c);
    const bytes = await readBodyLimited(c);
    c.set("body", { mediaType, contentType, bytes });
    await next();
  };
}
