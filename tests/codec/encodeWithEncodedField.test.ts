import { ErrorCode, decodeMessage, encodeMessage, encodeWithEncodedField } from '@remotemedia/shared';
import { describe, expect, it } from 'vitest';

describe('encodeWithEncodedField', () => {
  const value = { nodes: [{ name: 'Gain', schema: { gain: { type: 'number', default: 1 } } }], bytes: new Uint8Array([1, 2, 3]) };

  it('decodes exactly as the whole message encoded at once', () => {
    const bytes = encodeWithEncodedField({ v: 1, type: 'reply', id: 7 }, 'value', encodeMessage(value));
    expect(decodeMessage(bytes)).toEqual({ v: 1, type: 'reply', id: 7, value });
  });

  it('reuses one encoded value across envelopes without changing it', () => {
    const encoded = encodeMessage(value);
    const copy = encoded.slice();
    for (let id = 1; id <= 3; id++) expect(decodeMessage(encodeWithEncodedField({ id }, 'value', encoded))).toEqual({ id, value });
    expect(encoded).toEqual(copy);
  });

  it('refuses a field the envelope already has, and output over maxMessageBytes', () => {
    expect(() => encodeWithEncodedField({ value: 1 }, 'value', encodeMessage(2))).toThrow(expect.objectContaining({ code: ErrorCode.InvalidInput }));
    const big = encodeMessage(new Uint8Array(2048));
    expect(() => encodeWithEncodedField({ id: 1 }, 'value', big, { maxMessageBytes: 1024 })).toThrow(
      expect.objectContaining({ code: ErrorCode.MessageTooLarge }),
    );
  });
});
