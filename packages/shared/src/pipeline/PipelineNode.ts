import type { PixelFormat } from '../frames/VideoFrameData.ts';
import type { QueueOptions } from './QueueOptions.ts';

/**
 * What `process` or `flush` may produce:
 * - a single item;
 * - `undefined` (nothing: the item was filtered or is being held, e.g. by a buffer);
 * - many items, as a generator, an async generator, or any iterator (`items.values()`).
 * A plain array is ONE item (a batch), never "many": only iterators and async iterables fan out.
 */
export type NodeResult<O> = O | undefined | void | (Iterator<O> & Iterable<O>) | AsyncIterable<O>;

/**
 * A stage of a pipeline. Everything but `name` is optional: a node without `process` passes items through.
 * Methods may be sync or async, so a remote node (whose every call crosses the network) fits the same shape.
 */
export interface PipelineNode<I = unknown, O = unknown> {
  /** Shown in errors, stats and events. */
  readonly name: string;
  /** Input queue used when the pipeline streams; unset fields take the pipeline's defaults. */
  readonly queue?: Partial<QueueOptions>;
  /**
   * Pixel formats `process` accepts, preferred first: video frames in another format are converted to the first
   * before the call (see acceptedFormats.ts). Unset: frames arrive as they come. A class may declare it static.
   */
  readonly acceptedFormats?: readonly PixelFormat[];
  /** Called once, before the first item. */
  initialize?(): void | Promise<void>;
  process?(input: I): NodeResult<O> | Promise<NodeResult<O>>;
  /** Called once when the input ends, to emit whatever the node still holds. */
  flush?(): NodeResult<O> | Promise<NodeResult<O>>;
  /** Called once at the end, also after an error, if `initialize` succeeded (or the node has none). */
  cleanup?(): void | Promise<void>;
}
