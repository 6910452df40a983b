import type { NodeResult } from './PipelineNode.ts';

/**
 * The contract of a node class, the same locally, in `runNode` and on the edge: `process` gets one input and
 * returns its outputs (see NodeResult); the optional methods are the lifecycle a Pipeline (and `runNode`) drives.
 * A class declares its types by annotating `process` (TypeScript does not infer a method's parameters from an
 * interface), optionally checked with `implements NodeInstance<I, O>`.
 */
export interface NodeInstance<I = any, O = unknown> {
  /** Called once before the first input (after the constructor, which on the edge runs at deploy). */
  initialize?(): void | Promise<void>;
  process(input: I): NodeResult<O> | Promise<NodeResult<O>>;
  /** Called once when the input ends: what the node still holds. */
  flush?(): NodeResult<O> | Promise<NodeResult<O>>;
  /** Called once at the end, also after an error, if `initialize` succeeded (or the node has none). */
  cleanup?(): void | Promise<void>;
}

/** A class whose instances are nodes taking `I` and producing `O`, constructed with arguments `A`. */
export type NodeClass<I = any, O = unknown, A extends unknown[] = any[]> = new (...args: A) => NodeInstance<I, O>;

type InstanceOf<T> = T extends abstract new (...args: any[]) => infer R ? R : T;

/** The items one result of `process` or `flush` stands for: a generator's items, nothing for undefined. */
type ResultItems<R> = R extends undefined | void
  ? never
  : R extends AsyncIterable<infer T>
    ? Exclude<T, undefined | void>
    : R extends Iterator<infer T, unknown, undefined> & Iterable<unknown>
      ? Exclude<T, undefined | void>
      : R;

/** What a node class (or instance) takes in `process`; `unknown` when it is not known. */
export type NodeInput<T> = InstanceOf<T> extends { process(input: infer I, ...rest: any[]): unknown } ? I : unknown;

/** What a node class (or instance) produces from `process` and `flush`; `unknown` when it is not known. */
export type NodeOutput<T> =
  InstanceOf<T> extends { process(...args: any[]): infer R }
    ? ResultItems<Awaited<R>> | (InstanceOf<T> extends { flush(): infer F } ? ResultItems<Awaited<F>> : never)
    : unknown;
