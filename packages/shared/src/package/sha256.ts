const encoder = new TextEncoder();

export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Size of `text` in UTF-8 bytes, the unit of every size in a manifest. */
export function utf8Size(text: string): number {
  return encoder.encode(text).byteLength;
}

/** Lower-case hex SHA-256, via WebCrypto so the same code runs in browsers and Node 20. */
export async function sha256Hex(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof data === 'string' ? utf8Encode(data) : data;
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
