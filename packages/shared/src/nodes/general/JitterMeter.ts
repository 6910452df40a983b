import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { describeValue } from '../schema/describeValue.ts';
import { monotonicNow } from './monotonicNow.ts';

export interface JitterMeterConfig {
  window: number;
}

export interface JitterInfo {
  /** Interarrival jitter, smoothed as RTP does (RFC 3550: 1/16 of each new deviation), in ms. */
  readonly jitterMs: number;
  /**
   * How fast arrival time drifts from the items' own timestamps, in parts per million (least squares over the
   * last `window` items): a sender clock running fast or slow, or a queue building up (positive) or draining.
   */
  readonly driftPpm: number;
  /** Timestamp step from the previous item: a gap shows lost or skipped items. */
  readonly gapMs: number;
}

/**
 * Measures the timing health of a stream: each item's arrival (this host's monotonic clock) against its own
 * `timestamp`, as interarrival jitter, clock drift and the gap since the previous item, in `jitter`.
 */
export class JitterMeterNode implements PipelineNode<object, object> {
  readonly name = 'JitterMeter';
  private previous: { timestamp: number; transit: number } | undefined;
  private jitter = 0;
  private readonly points: Array<{ t: number; transit: number }> = [];

  constructor(private readonly config: JitterMeterConfig) {}

  process(input: object): object {
    const timestamp = (input as { timestamp?: unknown } | null)?.timestamp;
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `${this.name} takes items with a numeric timestamp (frames), got ${describeValue(input)}`);
    }
    const transit = monotonicNow() - timestamp;
    const previous = this.previous;
    if (previous) this.jitter += (Math.abs(transit - previous.transit) - this.jitter) / 16;
    this.previous = { timestamp, transit };
    this.points.push({ t: timestamp, transit });
    if (this.points.length > this.config.window) this.points.shift();
    const info: JitterInfo = { jitterMs: this.jitter, driftPpm: slope(this.points) * 1e6, gapMs: previous ? timestamp - previous.timestamp : 0 };
    return { ...input, jitter: info };
  }
}

/** Least-squares slope of transit time over timestamp; 0 until two distinct timestamps. */
function slope(points: ReadonlyArray<{ t: number; transit: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanT = points.reduce((s, p) => s + p.t, 0) / n;
  const meanTransit = points.reduce((s, p) => s + p.transit, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - meanT) * (p.transit - meanTransit);
    den += (p.t - meanT) ** 2;
  }
  return den > 0 ? num / den : 0;
}

export const jitterMeterDefinition = defineBuiltinNode<JitterMeterConfig>({
  name: 'JitterMeter',
  description: 'Measures stream timing health: interarrival jitter, clock drift and gaps, as `jitter` on each item.',
  category: 'general',
  configSchema: {
    properties: {
      window: { type: 'integer', description: 'Items the drift is fitted over.', minimum: 2, maximum: 10_000, default: 200 },
    },
  },
  example: { window: 300 },
  inputKinds: ['video', 'audio', 'data'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video', 'audio', 'data'],
  remote: true,
  build: (config) => new JitterMeterNode(config),
});
