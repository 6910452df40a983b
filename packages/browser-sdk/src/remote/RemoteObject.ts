import type { NodeInput, NodeOutput } from '@remotemedia/shared';
import type { RemoteNode } from '../session/RemoteNode.ts';

type AnyFunction = (...args: never[]) => unknown;

/** Methods of T made async, because each call now crosses the network to the edge's sandbox. */
export type RemoteMethods<T> = {
  [K in keyof T as T[K] extends AnyFunction ? K : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** A proxy for an instance living in an edge sandbox: its methods, plus `$` helpers that cannot clash with them. */
export type RemoteObject<T> = RemoteMethods<T> & {
  /** The instance's own fields as they are on the edge now (Map, Set, Date, BigInt, typed arrays kept). */
  $snapshot(): Promise<Partial<T>>;
  /** Frees the sandbox. Later calls fail with DISPOSED. */
  $dispose(): Promise<void>;
  /** The underlying node handle, e.g. to put the object in a Pipeline when it has `process` (typed from it). */
  readonly $node: RemoteNode<NodeInput<T>, NodeOutput<T>>;
};

/**
 * Wraps a deployed node so `obj.add(2, 3)` becomes `node.call('add', 2, 3)`. `then` is not forwarded, so
 * awaiting the proxy itself does not turn into a remote call.
 */
export function createRemoteObject<T>(node: RemoteNode, readSnapshot: () => Promise<unknown>): RemoteObject<T> {
  const helpers: Record<string, unknown> = {
    $snapshot: readSnapshot,
    $dispose: () => node.dispose(),
    $node: node,
  };
  return new Proxy(Object.create(null) as object, {
    get(_target, property) {
      if (typeof property !== 'string' || property === 'then') return undefined;
      if (property in helpers) return helpers[property];
      return (...args: unknown[]) => node.call(property, ...args);
    },
    has(_target, property) {
      return typeof property === 'string' && (property in helpers || node.methods.includes(property));
    },
    ownKeys() {
      return [...node.methods];
    },
    getOwnPropertyDescriptor(_target, property) {
      return typeof property === 'string' && node.methods.includes(property)
        ? { configurable: true, enumerable: true, value: (...args: unknown[]) => node.call(property, ...args) }
        : undefined;
    },
  }) as RemoteObject<T>;
}
