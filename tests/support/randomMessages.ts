import { prng } from './prng.ts';

/**
 * Sizes of test messages from 1 byte to `maxBytes`: the boundaries that matter to SCTP fragmentation
 * (one byte, one 1,200-byte DATA chunk and either side of it, 64 KiB, the maximum), then log-uniform
 * random sizes, so small and large messages are equally common.
 */
export function messageSizes(count: number, seed: number, maxBytes: number): number[] {
  const edges = [1, 1199, 1200, 1201, 2400, 65535, 65536, 65537, maxBytes - 1, maxBytes].filter((size) => size <= maxBytes);
  const random = prng(seed);
  const sizes = edges.slice(0, count);
  while (sizes.length < count) sizes.push(Math.max(1, Math.min(maxBytes, Math.round(Math.exp(random() * Math.log(maxBytes))))));
  // Shuffle so the large edge cases do not all come first.
  for (let i = sizes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sizes[i], sizes[j]] = [sizes[j]!, sizes[i]!];
  }
  return sizes;
}

/** Seeded random bytes; message `index` of a run is the same on every run. */
export function messageBytes(size: number, seed: number, index: number): Uint8Array {
  const random = prng(seed * 100_003 + index);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4) {
    const word = (random() * 4294967296) >>> 0;
    bytes[i] = word & 255;
    if (i + 1 < size) bytes[i + 1] = (word >>> 8) & 255;
    if (i + 2 < size) bytes[i + 2] = (word >>> 16) & 255;
    if (i + 3 < size) bytes[i + 3] = word >>> 24;
  }
  return bytes;
}
