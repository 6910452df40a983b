import type { VideoFrameData } from '@remotemedia/shared';
import { LivePump, type LivePumpOptions, type LivePumpStats } from './LivePump.ts';
import type { RemoteNode } from './RemoteNode.ts';

/**
 * Unless `maxInFlight` fixes it, frames in flight adapt between 2 and 1 (`inFlight` tunes it): a second frame
 * out overlaps one frame's round trip with the next, and the pump falls back to one while the edge drops or
 * skips frames (latest wins either way).
 */
export type LiveVideoPumpOptions = LivePumpOptions<VideoFrameData>;
export type LiveVideoPumpStats = LivePumpStats;

/** Live video through a remote node, latest-wins: what you see is never stale. */
export class LiveVideoPump extends LivePump<VideoFrameData> {
  constructor(node: Pick<RemoteNode, 'process'>, options: LiveVideoPumpOptions) {
    super(node, options, 'adaptive');
  }
}
