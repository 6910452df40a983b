import { RemoteError, decodeMessage, encodeMessage, toErrorPayload } from '@remotemedia/shared';

/**
 * A value as the other side of a session receives it: encoded with the wire codec and decoded again, so only
 * plain data survives (objects, arrays, strings, numbers, booleans, null, undefined, typed arrays): a Date, Set or
 * BigInt fails here as it fails between a client and the edge, a Map becomes a plain object. A fresh copy.
 */
export function crossWire<T>(value: T, maxMessageBytes: number, where?: { nodeName: string; method: string }): T {
  try {
    return decodeMessage(encodeMessage(value, { maxMessageBytes }), { maxMessageBytes }) as T;
  } catch (error) {
    // What the edge answers when a node's output cannot be sent: the encoder's error, for that node and call.
    if (where !== undefined) throw new RemoteError(toErrorPayload(error, where));
    throw error;
  }
}
