import { OPCODE, wsFrame } from '../support/rawWebSocket.ts';

/** A WebSocket frame that breaks RFC 6455, with the close code the edge must answer it with. */
export interface InvalidFrame {
  kind: string;
  bytes: Buffer;
  closeCode: number;
}

type Rng = () => number;

const int = (rng: Rng, below: number): number => Math.floor(rng() * below);

function closePayload(code: number, reason: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + reason.byteLength);
  out[0] = code >>> 8;
  out[1] = code & 0xff;
  out.set(reason, 2);
  return out;
}

/** Each violation `ws` detects; the first byte layouts are written by hand in wsFrame. */
const VIOLATIONS: ReadonlyArray<(rng: Rng) => InvalidFrame> = [
  (rng) => ({ kind: 'oversized', bytes: wsFrame({ opcode: OPCODE.binary, payload: new Uint8Array(65_537 + int(rng, 10_000)) }), closeCode: 1009 }),
  () => ({ kind: 'length-over-2^53', bytes: wsFrame({ opcode: OPCODE.binary, declaredLength: 2 ** 60 }), closeCode: 1009 }),
  () => ({ kind: 'rsv1', bytes: wsFrame({ opcode: OPCODE.binary, rsv1: true, payload: new Uint8Array(4) }), closeCode: 1002 }),
  (rng) => {
    const frame = wsFrame({ opcode: OPCODE.binary, payload: new Uint8Array(4) });
    frame[0] = frame[0]! | (rng() < 0.5 ? 0x20 : 0x10);
    return { kind: 'rsv2-rsv3', bytes: frame, closeCode: 1002 };
  },
  () => ({ kind: 'invalid-utf8-text', bytes: wsFrame({ opcode: OPCODE.text, payload: Uint8Array.from([0x61, 0xed, 0xa0, 0x80]) }), closeCode: 1007 }),
  () => ({ kind: 'unmasked', bytes: wsFrame({ opcode: OPCODE.binary, masked: false, payload: new Uint8Array(8) }), closeCode: 1002 }),
  (rng) => ({
    kind: 'unknown-opcode',
    bytes: wsFrame({ opcode: [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf][int(rng, 10)]!, payload: new Uint8Array(2) }),
    closeCode: 1002,
  }),
  () => ({ kind: 'continuation-without-start', bytes: wsFrame({ opcode: OPCODE.continuation, payload: new Uint8Array(3) }), closeCode: 1002 }),
  () => ({ kind: 'fragmented-ping', bytes: wsFrame({ opcode: OPCODE.ping, fin: false, payload: new Uint8Array(1) }), closeCode: 1002 }),
  () => ({ kind: 'control-payload-over-125', bytes: wsFrame({ opcode: OPCODE.ping, payload: new Uint8Array(126) }), closeCode: 1002 }),
  () => ({
    kind: 'close-with-invalid-code',
    bytes: wsFrame({ opcode: OPCODE.close, payload: closePayload(1005, new Uint8Array(0)) }),
    closeCode: 1002,
  }),
  () => ({
    kind: 'close-with-invalid-utf8',
    bytes: wsFrame({ opcode: OPCODE.close, payload: closePayload(1000, Uint8Array.from([0xff])) }),
    closeCode: 1007,
  }),
  () => ({
    kind: 'new-message-inside-fragmented-one',
    bytes: Buffer.concat([
      wsFrame({ opcode: OPCODE.binary, fin: false, payload: new Uint8Array(2) }),
      wsFrame({ opcode: OPCODE.binary, payload: new Uint8Array(2) }),
    ]),
    closeCode: 1002,
  }),
];

export const INVALID_FRAME_KINDS = VIOLATIONS.length;

export function invalidFrame(rng: Rng, index = int(rng, VIOLATIONS.length)): InvalidFrame {
  return VIOLATIONS[index]!(rng);
}

/** Frames that are legal WebSocket but not protocol traffic: the connection must survive them. */
export function oddButLegalFrame(rng: Rng): { kind: string; bytes: Buffer } {
  switch (int(rng, 4)) {
    case 0:
      return { kind: 'text', bytes: wsFrame({ opcode: OPCODE.text, payload: new TextEncoder().encode('{"type":"hello"}') }) };
    case 1:
      return { kind: 'ping', bytes: wsFrame({ opcode: OPCODE.ping, payload: new Uint8Array(int(rng, 125)) }) };
    case 2:
      return { kind: 'empty-binary', bytes: wsFrame({ opcode: OPCODE.binary }) };
    default:
      return {
        kind: 'fragmented-binary',
        bytes: Buffer.concat([
          wsFrame({ opcode: OPCODE.binary, fin: false, payload: new Uint8Array(5) }),
          wsFrame({ opcode: OPCODE.ping, payload: new Uint8Array(1) }),
          wsFrame({ opcode: OPCODE.continuation, payload: new Uint8Array(5) }),
        ]),
      };
  }
}
