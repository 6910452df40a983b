import type { FrameStage, LiveAudioPumpStats, SessionStats } from '@remotemedia/browser-sdk';
import type { VideoLaneTotals } from '../media/VideoLane.ts';
import { byId } from './dom.ts';

/** What the stats panel shows for one tick. */
export interface StatsTick {
  session: SessionStats;
  video: VideoLaneTotals;
  audio: LiveAudioPumpStats & { underruns: number };
  fpsIn: number;
  fpsOut: number;
}

const FIELDS = [
  'stat-transport',
  'stat-state',
  'stat-fps-in',
  'stat-fps',
  'stat-rtt',
  'stat-frames',
  'stat-dropped',
  'stat-late',
  'stat-stages',
  'stat-audio',
] as const;

/** The stages of a round trip, in the order a frame meets them, as the panel names them. */
const STAGES: ReadonlyArray<[FrameStage, string]> = [
  ['encode', 'encode'],
  ['network', 'network'],
  ['edgeDecode', 'edge decode'],
  ['edgeQueue', 'edge queue'],
  ['node', 'node'],
  ['edgeEncode', 'edge encode'],
  ['decode', 'decode'],
];

/** The live stats list. `reset` puts back what index.html shows before Start, so Stop leaves nothing stale. */
export class StatsView {
  private readonly initial = new Map<string, string>(FIELDS.map((id) => [id, byId(id).textContent ?? '']));

  show({ session: stats, video, audio, fpsIn, fpsOut }: StatsTick): void {
    set(
      'stat-transport',
      stats.transport === 'datachannel' ? 'WebRTC data channel' : `WebSocket${stats.fallbackReason ? ` (${stats.fallbackReason})` : ''}`,
    );
    set('stat-state', `${stats.state}${stats.reconnects > 0 ? `, ${stats.reconnects} reconnect${stats.reconnects === 1 ? '' : 's'}` : ''}`);
    set('stat-fps-in', fpsIn.toFixed(1));
    set('stat-fps', fpsOut.toFixed(1));
    set(
      'stat-rtt',
      Number.isNaN(stats.rttP50Ms) || stats.rttSamples === 0 ? '-' : `${stats.rttP50Ms.toFixed(1)} ms / ${stats.rttP99Ms.toFixed(1)} ms`,
    );
    set('stat-frames', String(video.received));
    // Skipped here: video frames not sent while the edge was busy. The edge's drops and the frames lost in a
    // reconnect are session-wide (audio and video).
    set('stat-dropped', `${video.droppedLocally} video skipped · ${stats.framesDroppedByEdge} by edge · ${stats.framesLost} lost`);
    // Skipped by the edge for their age: counted apart from queue drops, as they mean the path or node is too slow.
    set('stat-late', `${video.skippedByDeadline} video · ${stats.framesSkippedByDeadline} in all`);
    // Stages not measured are left out: encode and decode (here and on the edge) when video goes raw.
    const stages = STAGES.flatMap(([stage, label]) => {
      const timing = stats.frameStages[stage];
      return timing === undefined ? [] : [`${label} ${timing.p50Ms.toFixed(1)} / ${timing.p99Ms.toFixed(1)}`];
    });
    set('stat-stages', stages.length === 0 ? '-' : `${stages.join(' · ')} ms`);
    set('stat-audio', `${audio.droppedLocally + audio.droppedByEdge + audio.skippedByDeadline + audio.lost + audio.failed} / ${audio.underruns}`);
  }

  reset(): void {
    for (const [id, text] of this.initial) set(id, text);
  }
}

function set(id: string, text: string): void {
  byId(id).textContent = text;
}
