// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- declarations of two untyped codec packages, needed by every project that compiles this file
/// <reference path="./types/codecs.d.ts" />
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';

/**
 * kafkajs reads gzip only; producers in other languages commonly send lz4, zstd or snappy, and a
 * batch kafkajs cannot decompress crashes the consumer on every fetch. Codecs in plain JavaScript
 * (no native build, nothing downloaded at install): snappy with Java's xerial framing
 * (kafkajs-snappy), LZ4 frames (lz4js), zstd frames (fzstd, decompression only: this pipeline's own
 * producers never send zstd, and a clear error beats a silent fallback).
 */
const lz4Codec = () => ({
  compress: async (encoder: { buffer: Buffer }) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer: Buffer) => Buffer.from(lz4.decompress(buffer)),
});
const zstdCodec = () => ({
  compress: async (): Promise<Buffer> => {
    throw new Error("zstd compression is not supported by this pipeline's producers (consumers read zstd)");
  },
  decompress: async (buffer: Buffer) => {
    const out = zstdDecompress(buffer);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  },
});

let registered = false;
/** Registers the codecs with kafkajs (process-wide); safe to call more than once. */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec as never;
  CompressionCodecs[CompressionTypes.LZ4] = lz4Codec as never;
  CompressionCodecs[CompressionTypes.ZSTD] = zstdCodec as never;
}
