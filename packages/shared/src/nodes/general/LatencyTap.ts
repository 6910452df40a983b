import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { describeValue } from '../schema/describeValue.ts';
import { monotonicNow } from './monotonicNow.ts';
import { RollingPercentiles } from './percentiles.ts';

export const TAP_ROLES = ['start', 'end'] as const;
export type TapRole = (typeof TAP_ROLES)[number];

export interface LatencyTapConfig {
  label: string;
  role: TapRole;
  window: number;
}

export interface LatencyInfo {
  readonly label: string;
  /** This item's time between the start and end taps. */
  readonly ms: number;
  /** Over the last `window` items. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly count: number;
}

/** Where a start tap leaves its time on an item, by label. */
export type LatencyMarks = Readonly<Record<string, number>>;

/**
 * Measures how long items take between two points of a pipeline: a `start` tap stamps each item (in
 * `latencyMarks`), an `end` tap with the same label reads the stamp and adds `latency` (this item's ms and the
 * p50/p99 of a sliding window). Put a pair around a node or a branch. Both taps must run on the same host (both
 * local, or both on the edge): they compare readings of one clock.
 */
export class LatencyTapNode implements PipelineNode<object, object> {
  readonly name = 'LatencyTap';
  private readonly window: RollingPercentiles;

  constructor(private readonly config: LatencyTapConfig) {
    this.window = new RollingPercentiles(config.window);
  }

  process(input: object): object {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `${this.name} "${this.config.label}" takes frames or records, got ${describeValue(input)}`);
    }
    const { label } = this.config;
    const marks = (input as { latencyMarks?: LatencyMarks }).latencyMarks ?? {};
    if (this.config.role === 'start') return { ...input, latencyMarks: { ...marks, [label]: monotonicNow() } };
    const started = marks[label];
    if (typeof started !== 'number') {
      throw new RemoteMediaError(
        ErrorCode.InvalidInput,
        `${this.name} "${label}" (end) got an item without a "${label}" start mark: put a LatencyTap { role: "start", label: "${label}" } before it, on the same host`,
      );
    }
    const ms = monotonicNow() - started;
    this.window.add(ms);
    const { [label]: _used, ...rest } = marks;
    const latency: LatencyInfo = { label, ms, p50Ms: this.window.percentile(50), p99Ms: this.window.percentile(99), count: this.window.count };
    return { ...input, latencyMarks: rest, latency };
  }
}

export const latencyTapDefinition = defineBuiltinNode<LatencyTapConfig>({
  name: 'LatencyTap',
  description: 'Measures time between two points of a pipeline (a start and an end tap), with p50/p99, as `latency`.',
  category: 'general',
  configSchema: {
    properties: {
      label: { type: 'string', description: 'Pairs a start tap with its end tap.', minLength: 1, maxLength: 64, default: 'latency' },
      role: { type: 'string', description: '`start` stamps items; `end` measures since the stamp.', enum: TAP_ROLES, default: 'start' },
      window: { type: 'integer', description: 'Items the p50/p99 are taken over.', minimum: 1, maximum: 10_000, default: 100 },
    },
  },
  example: { label: 'gray', role: 'end', window: 200 },
  inputKinds: ['video', 'audio', 'data'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video', 'audio', 'data'],
  remote: true,
  build: (config) => new LatencyTapNode(config),
});
