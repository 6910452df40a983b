import { ErrorCode } from '@remotemedia/shared/errors';
import { Scope, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten-core';
import { layOutBinaryParts } from './binaryLayout.ts';
import { checkJsonShape } from './checkJsonShape.ts';
import type { GuestMemory } from './GuestMemory.ts';
import { InvalidResult } from './InvalidResult.ts';
import { decodeFromGuest } from './marshal.ts';
import { readBoundedString } from './readBoundedString.ts';
import type { ResultBounds } from './SandboxLimits.ts';

export interface ResultReading {
  context: QuickJSContext;
  memory: GuestMemory;
  bounds: ResultBounds;
  /** Has the prelude's pack() copy the result's binary parts into the arena. */
  pack: (result: QuickJSHandle, arena: QuickJSHandle) => void;
  /** Test fault: replaces the result's JSON text (a subverted prelude). */
  forgedText?: string | undefined;
}

/**
 * Decodes an encoded result (the prelude's [json, views] pair) into host values. Nothing the guest wrote is
 * trusted: the JSON's length, nesting and element count are bounded before it is parsed, the declared binary
 * sizes are checked and bounded before the arena is sized, and each binary part is copied out at most once,
 * exactly as large as declared.
 */
export function readGuestResult(result: QuickJSHandle, reading: ResultReading): unknown {
  const { context: ctx, bounds } = reading;
  return Scope.withScope((scope) => {
    const jsonHandle = scope.manage(ctx.getProp(result, 0));
    const text = reading.forgedText ?? readBoundedString(ctx, jsonHandle, bounds.bytes);
    if (text === undefined) {
      if (ctx.typeof(jsonHandle) !== 'string') throw InvalidResult.forged('it is not JSON text');
      throw new InvalidResult(
        ErrorCode.MessageTooLarge,
        `its JSON text is longer than ${bounds.bytes} characters, the most a result may carry`,
        false,
      );
    }
    checkJsonShape(text, 3 * bounds.depth + 4, 8 * bounds.values + 2 * bounds.binaryParts + 16);
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      throw InvalidResult.forged('it is not valid JSON');
    }
    if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) throw InvalidResult.forged('it is not an envelope');
    const { v, b } = envelope as { v?: unknown; b?: unknown };
    const layout = layOutBinaryParts(b, bounds, text.length);
    const reader = reading.memory.copyOut(layout, (arena) => reading.pack(result, arena));
    return decodeFromGuest(v, reader, bounds);
  });
}
