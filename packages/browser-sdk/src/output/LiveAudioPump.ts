import type { AudioFrameData } from '@remotemedia/shared';
import { LivePump, type LivePumpOptions, type LivePumpStats } from '../session/LivePump.ts';
import type { RemoteNode } from '../session/RemoteNode.ts';

/**
 * `maxInFlight` defaults to 16: audio frames are sent as captured, in order, and a data channel that also
 * carries video often takes 150-400 ms per round trip (measured with Chromium and a werift edge on one host),
 * which is 8-20 frames of 20 ms.
 * Past it a frame is dropped and counted: late audio is worse than a counted gap.
 */
export type LiveAudioPumpOptions = LivePumpOptions<AudioFrameData>;
export type LiveAudioPumpStats = LivePumpStats;

/** Live audio through a remote node; every frame that does not come back is counted by cause. */
export class LiveAudioPump extends LivePump<AudioFrameData> {
  constructor(node: Pick<RemoteNode, 'process'>, options: LiveAudioPumpOptions) {
    super(node, options, 16);
  }
}
