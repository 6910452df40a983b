/**
 * WebSocket close codes the edge sends (RFC 6455, section 7.4.1). The close reason starts with the error code
 * (`SLOW_CONSUMER: ...`) so a client can tell why. `ws` itself answers frame-level violations with 1002
 * (protocol error), 1007 (invalid UTF-8) and 1009 (too big). Browsers may only send 1000 and 3000-4999.
 */
export const CloseCode = {
  Normal: 1000,
  /** The client broke a rule of the edge's: too many messages before hello, an error flood, not reading. */
  PolicyViolation: 1008,
  InternalError: 1011,
  /** Capacity: the edge is full, or the connection made room for a newer one. Retrying later may work. */
  TryAgainLater: 1013,
} as const;

/** Close reasons are limited to 123 bytes of UTF-8 on the wire; `ws` throws on a longer one. */
const MAX_REASON_BYTES = 123;

/** Cuts a close reason to what fits, never inside a multi-byte character. */
export function closeReason(text: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).byteLength <= MAX_REASON_BYTES) return text;
  let cut = '';
  let bytes = 0;
  for (const char of text) {
    const size = encoder.encode(char).byteLength;
    if (bytes + size > MAX_REASON_BYTES) break;
    cut += char;
    bytes += size;
  }
  return cut;
}
