/** Mean of the first `count` bytes. */
export function mean(bytes: Uint8Array, count = bytes.length): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += bytes[i]!;
  return count === 0 ? 0 : sum / count;
}
