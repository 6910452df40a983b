const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 with padding; the same in browsers and Node (no Buffer, no binary strings). */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const triple = (a << 16) | (b << 8) | c;
    line +=
      ALPHABET[(triple >> 18) & 63]! +
      ALPHABET[(triple >> 12) & 63]! +
      (i + 1 < bytes.length ? ALPHABET[(triple >> 6) & 63]! : '=') +
      (i + 2 < bytes.length ? ALPHABET[triple & 63]! : '=');
    // Joining in pieces keeps string building linear for multi-megabyte binaries.
    if (line.length >= 8192) {
      parts.push(line);
      line = '';
    }
  }
  parts.push(line);
  return parts.join('');
}

/** Strict base64 decode: the canonical padded form only; anything else returns undefined. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const isPad = code === 61 && last && j >= 4 - padding;
      const value = isPad ? 0 : code < 128 ? VALUES[code]! : -1;
      if (value < 0) return undefined;
      triple = (triple << 6) | value;
    }
    out[o++] = (triple >> 16) & 255;
    if (o < out.length) out[o++] = (triple >> 8) & 255;
    if (o < out.length) out[o++] = triple & 255;
  }
  if (out.length === 0) return out;
  // Non-canonical text (stray bits under the padding) would give two texts for one binary.
  const tail = out.length % 3 === 0 ? 3 : out.length % 3;
  return encodeBase64(out.subarray(out.length - tail)) === text.slice(-4) ? out : undefined;
}
