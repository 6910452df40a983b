import type { VideoFrameData } from '@remotemedia/shared';
import { LivePump, type LivePumpOptions, type LivePumpStats } from './LivePump.ts';
import type { RemoteNode } from './RemoteNode.ts';

/** `maxInFlight` defaults to 1: one frame out keeps latency lowest on a busy link (latest wins). */
export type LiveVideoPumpOptions = LivePumpOptions<VideoFrameData>;
export type LiveVideoPumpStats = LivePumpStats;

/** Live video through a remote node, latest-wins: what you see is never stale. */
export class LiveVideoPump extends LivePump<VideoFrameData> {
  constructor(node: Pick<RemoteNode, 'process'>, options: LiveVideoPumpOptions) {
    super(node, options, 1);
  }
}
