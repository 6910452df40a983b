import superjson from 'superjson';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import { checkSerializedState } from './checkSerializedState.ts';
import type { StateLimits } from './StateLimits.ts';

/**
 * An instance's fields from serialized state, as host values (Map, Set, Date, BigInt... rebuilt). Bounded
 * first (checkSerializedState), so decoding takes time linear in the state's size; still, this is client
 * input, so the edge calls it off its main thread (in the built-in worker, under its watchdog).
 */
export function decodeState(state: unknown, limits: StateLimits, label: string): unknown {
  checkSerializedState(state, limits, label);
  try {
    return superjson.deserialize(state as Parameters<typeof superjson.deserialize>[0]);
  } catch (error) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${label} is not valid superjson output: ${(error as Error).message}`);
  }
}
