import type { NodeError } from './NodeError.ts';

/** Events a pipeline reports. Listeners run synchronously; one that throws cannot disturb the pipeline. */
export interface PipelineEventMap {
  /** A full `drop-oldest` queue discarded an item in front of a node. */
  drop: { nodeName: string; nodeIndex: number; item: unknown; totalDropped: number };
  /** A node failed; the pipeline is ending and will clean up. */
  error: { error: NodeError };
}

export type PipelineEventName = keyof PipelineEventMap;
export type PipelineListener<K extends PipelineEventName> = (event: PipelineEventMap[K]) => void;

/** A typed listener registry whose `emit` survives throwing listeners. */
export class PipelineEvents {
  private readonly listeners = new Map<PipelineEventName, Set<(event: never) => void>>();

  on<K extends PipelineEventName>(name: K, listener: PipelineListener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as (event: never) => void);
    return () => set.delete(listener as (event: never) => void);
  }

  emit<K extends PipelineEventName>(name: K, event: PipelineEventMap[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as PipelineListener<K>)(event);
      } catch {
        // A listener's bug must not stop media flowing or hide the pipeline's own errors.
      }
    }
  }
}
