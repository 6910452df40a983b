import { PIXEL_FORMATS, type VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { expectVideo } from './expectVideo.ts';
import { lumaOf } from './lumaOf.ts';

export interface MotionDetectorConfig {
  threshold: number;
  cellSize: number;
  minCellShare: number;
  maxRegions: number;
}

/** A rectangle of the frame where something moved, in pixels. */
export interface MotionRegion {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Changed pixels inside it. */
  readonly changed: number;
}

export interface MotionInfo {
  readonly detected: boolean;
  /** Share of all pixels that changed (0..1). */
  readonly score: number;
  /** Largest first, at most `maxRegions`. */
  readonly regions: readonly MotionRegion[];
}

export type MotionCheckedFrame = VideoFrameData & { readonly motion: MotionInfo };

/**
 * Finds where the picture moved: pixels whose brightness changed by more than `threshold` since the previous
 * frame are counted per cell of a grid; cells with enough change are joined with their neighbours into regions,
 * reported as bounding boxes. Frames pass through unchanged, annotated with `motion`.
 */
export class MotionDetectorNode implements PipelineNode<VideoFrameData, MotionCheckedFrame> {
  readonly name = 'MotionDetector';
  private previous: { luma: Uint8Array; width: number; height: number } | undefined;

  constructor(private readonly config: MotionDetectorConfig) {}

  process(input: VideoFrameData): MotionCheckedFrame {
    const frame = expectVideo(this.name, input);
    const luma = lumaOf(frame);
    const previous = this.previous;
    this.previous = { luma: luma === frame.data ? luma.slice() : luma, width: frame.width, height: frame.height };
    if (!previous || previous.width !== frame.width || previous.height !== frame.height) {
      return { ...frame, motion: { detected: false, score: 0, regions: [] } };
    }
    const { width, height } = frame;
    const { cellSize, threshold } = this.config;
    const columns = Math.ceil(width / cellSize);
    const rows = Math.ceil(height / cellSize);
    const changedPerCell = new Uint32Array(columns * rows);
    let changed = 0;
    for (let y = 0; y < height; y++) {
      const rowCell = Math.floor(y / cellSize) * columns;
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (Math.abs(luma[i]! - previous.luma[i]!) > threshold) {
          changedPerCell[rowCell + Math.floor(x / cellSize)]!++;
          changed++;
        }
      }
    }
    const regions = this.regionsOf(changedPerCell, columns, rows, width, height);
    return { ...frame, motion: { detected: regions.length > 0, score: changed / (width * height), regions } };
  }

  /** Joins marked cells that touch (4-neighbours) and returns each group's bounding box. */
  private regionsOf(changedPerCell: Uint32Array, columns: number, rows: number, width: number, height: number): MotionRegion[] {
    const { cellSize, minCellShare } = this.config;
    const cellPixels = (cell: number) => {
      const cx = cell % columns;
      const cy = Math.floor(cell / columns);
      return (Math.min(cellSize, width - cx * cellSize) * Math.min(cellSize, height - cy * cellSize)) as number;
    };
    const marked = (cell: number) => changedPerCell[cell]! > 0 && changedPerCell[cell]! >= minCellShare * cellPixels(cell);
    const seen = new Uint8Array(columns * rows);
    const regions: MotionRegion[] = [];
    for (let start = 0; start < seen.length; start++) {
      if (seen[start] || !marked(start)) continue;
      let [minX, minY, maxX, maxY, total] = [columns, rows, -1, -1, 0];
      const stack = [start];
      seen[start] = 1;
      while (stack.length > 0) {
        const cell = stack.pop()!;
        const cx = cell % columns;
        const cy = Math.floor(cell / columns);
        [minX, minY, maxX, maxY] = [Math.min(minX, cx), Math.min(minY, cy), Math.max(maxX, cx), Math.max(maxY, cy)];
        total += changedPerCell[cell]!;
        for (const [nx, ny] of [
          [cx - 1, cy],
          [cx + 1, cy],
          [cx, cy - 1],
          [cx, cy + 1],
        ] as const) {
          if (nx < 0 || ny < 0 || nx >= columns || ny >= rows) continue;
          const next = ny * columns + nx;
          if (!seen[next] && marked(next)) {
            seen[next] = 1;
            stack.push(next);
          }
        }
      }
      const x = minX * cellSize;
      const y = minY * cellSize;
      regions.push({ x, y, width: Math.min(width, (maxX + 1) * cellSize) - x, height: Math.min(height, (maxY + 1) * cellSize) - y, changed: total });
    }
    return regions.sort((a, b) => b.width * b.height - a.width * a.height).slice(0, this.config.maxRegions);
  }
}

export const motionDetectorDefinition = defineBuiltinNode<MotionDetectorConfig>({
  name: 'MotionDetector',
  description: 'Finds where the picture moved since the last frame (frame difference on a grid), as `motion` regions.',
  category: 'video',
  configSchema: {
    properties: {
      threshold: { type: 'integer', description: 'Brightness change (0-255) that counts a pixel as changed.', minimum: 1, maximum: 255, default: 25 },
      cellSize: { type: 'integer', description: 'Grid cell size in pixels.', minimum: 4, maximum: 256, default: 16 },
      minCellShare: { type: 'number', description: 'Share of changed pixels that marks a cell as moving.', minimum: 0.01, maximum: 1, default: 0.1 },
      maxRegions: { type: 'integer', description: 'Most regions reported per frame (largest first).', minimum: 1, maximum: 256, default: 16 },
    },
  },
  example: { threshold: 30, cellSize: 20 },
  inputKinds: ['video'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new MotionDetectorNode(config),
});
