import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, parseClientMessage, parseEdgeMessage } from '@remotemedia/shared/protocol';

const v = PROTOCOL_VERSION;

function malformed(parse: () => unknown, text: string): void {
  expect(parse).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE' }));
  expect(parse).toThrow(text);
}

describe('protocol fields of frame deadlines and per-frame timing, validated at the boundary', () => {
  it('accepts a frame with or without capturedAt, and refuses one that is not a finite number', () => {
    const frame = { v, type: 'frame', nodeId: 'n1', seq: 1, item: { tag: 1 } };
    expect(parseClientMessage(frame)).toEqual(frame);
    expect(parseClientMessage({ ...frame, capturedAt: 1_700_000_000_000.5 })).toMatchObject({ capturedAt: 1_700_000_000_000.5 });
    malformed(() => parseClientMessage({ ...frame, capturedAt: 'now' }), 'frame message.capturedAt must be a finite number, got "now"');
  });

  it('bounds a node deadline: whole ms from 0 to 600000', () => {
    const create = { v, type: 'create', id: 1, nodeId: 'n1', name: 'Flip', config: {} };
    expect(parseClientMessage({ ...create, deadlineMs: 0 })).toMatchObject({ deadlineMs: 0 });
    expect(parseClientMessage({ ...create, deadlineMs: 600_000 })).toMatchObject({ deadlineMs: 600_000 });
    malformed(() => parseClientMessage({ ...create, deadlineMs: -1 }), 'create message.deadlineMs must be a non-negative integer');
    malformed(() => parseClientMessage({ ...create, deadlineMs: 600_001 }), 'create message.deadlineMs must be at most 600000');
  });

  it('checks dropped.cause against the known causes, and allows it absent (older edges)', () => {
    const dropped = { v, type: 'dropped', nodeId: 'n1', seq: 3, reason: 'too old' };
    expect(parseEdgeMessage(dropped)).toEqual(dropped);
    expect(parseEdgeMessage({ ...dropped, cause: 'deadline' })).toMatchObject({ cause: 'deadline' });
    malformed(
      () => parseEdgeMessage({ ...dropped, cause: 'late' }),
      'dropped message.cause must be one of deadline, queue-full, node-gone, session-closed, got "late"',
    );
  });

  it('checks output.timing: queueMs and nodeMs required, decode/encode optional, none negative', () => {
    const output = { v, type: 'output', nodeId: 'n1', seq: 1, items: [] };
    expect(parseEdgeMessage({ ...output, timing: { queueMs: 0.5, nodeMs: 3 } })).toMatchObject({ timing: { queueMs: 0.5, nodeMs: 3 } });
    expect(parseEdgeMessage({ ...output, timing: { queueMs: 0, nodeMs: 3, decodeMs: 1, encodeMs: 2 } })).toBeTruthy();
    malformed(() => parseEdgeMessage({ ...output, timing: { queueMs: 1 } }), 'output message.timing.nodeMs must be a finite number');
    malformed(
      () => parseEdgeMessage({ ...output, timing: { queueMs: -1, nodeMs: 1 } }),
      'output message.timing.queueMs must be a non-negative number',
    );
    malformed(() => parseEdgeMessage({ ...output, timing: 5 }), 'output message.timing must be an object');
  });

  it('accepts the edge clock in welcome and pong, and refuses a non-number', () => {
    const pong = { v, type: 'pong', id: 1, t: 10 };
    expect(parseEdgeMessage({ ...pong, edgeTime: 1_700_000_000_000 })).toMatchObject({ edgeTime: 1_700_000_000_000 });
    malformed(() => parseEdgeMessage({ ...pong, edgeTime: null }), 'pong message.edgeTime must be a finite number');
  });
});
