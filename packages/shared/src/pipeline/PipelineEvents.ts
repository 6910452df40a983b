import { TypedEmitter } from '../events/TypedEmitter.ts';
import type { NodeError } from './NodeError.ts';

/** Events a pipeline reports. Listeners run synchronously; one that throws cannot disturb the pipeline. */
export interface PipelineEventMap {
  /**
   * A full `drop-oldest` queue discarded an item in front of a node. In a graph, `from` names the connection's
   * source, and `unmatched` marks an item a zip join could not pair because another of its inputs ended.
   */
  drop: { nodeName: string; nodeIndex: number; item: unknown; totalDropped: number; from?: string; unmatched?: boolean };
  /** A node failed; the pipeline is ending and will clean up. */
  error: { error: NodeError };
}

export type PipelineEventName = keyof PipelineEventMap;
type PipelineListeners = { [K in PipelineEventName]: (event: PipelineEventMap[K]) => void };
export type PipelineListener<K extends PipelineEventName> = PipelineListeners[K];

/**
 * The pipeline's emitter. Its error policy drops a listener's exception: a listener's bug must not stop
 * media flowing, and the emitter's default (rethrow on a later tick) would surface as an uncaught error,
 * which ends a Node process running the pipeline.
 */
export class PipelineEvents extends TypedEmitter<PipelineListeners> {
  constructor() {
    super({ onListenerError: () => undefined });
  }
}
