import { PIXEL_FORMATS, type VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { grayToY } from './bt601.ts';
import { expectVideo } from './expectVideo.ts';
import { GLYPH_HEIGHT, GLYPH_WIDTH, GLYPHS } from './glyphs.ts';

export const OVERLAY_POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;
export type OverlayPosition = (typeof OVERLAY_POSITIONS)[number];
export const TIMESTAMP_STYLES = ['clock', 'milliseconds'] as const;
export type TimestampStyle = (typeof TIMESTAMP_STYLES)[number];

export interface TimestampOverlayConfig {
  position: OverlayPosition;
  scale: number;
  style: TimestampStyle;
  margin: number;
}

/** `01:02:03.456` from 3,723,456 ms; negative times get a leading '-'. */
export function formatTimestamp(ms: number, style: TimestampStyle): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.round(Math.abs(ms));
  if (style === 'milliseconds') return `${sign}${total}`;
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const hours = Math.floor(total / 3_600_000);
  return `${sign}${pad(hours, 2)}:${pad(Math.floor(total / 60_000) % 60, 2)}:${pad(Math.floor(total / 1000) % 60, 2)}.${pad(total % 1000, 3)}`;
}

/**
 * Burns each frame's timestamp into its pixels (white on a black box, a built-in bitmap font), so a recording
 * or a screen shows which frame is which and how late it is. Text that does not fit is clipped at the edges.
 */
export class TimestampOverlayNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'TimestampOverlay';

  constructor(private readonly config: TimestampOverlayConfig) {}

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    const text = formatTimestamp(frame.timestamp, this.config.style);
    const { scale, margin, position } = this.config;
    const boxWidth = (text.length * (GLYPH_WIDTH + 1) + 1) * scale;
    const boxHeight = (GLYPH_HEIGHT + 2) * scale;
    const left = position.endsWith('left') ? margin : frame.width - margin - boxWidth;
    const top = position.startsWith('top') ? margin : frame.height - margin - boxHeight;
    const data = frame.data.slice();
    const paint = (x: number, y: number, ink: boolean) => setPixel({ ...frame, data }, x, y, ink);
    for (let y = 0; y < boxHeight; y++) {
      for (let x = 0; x < boxWidth; x++) {
        const fx = Math.floor(x / scale) - 1;
        const fy = Math.floor(y / scale) - 1;
        const glyph = GLYPHS[text[Math.floor(fx / (GLYPH_WIDTH + 1))] ?? ' '];
        const gx = fx % (GLYPH_WIDTH + 1);
        const ink = fx >= 0 && fy >= 0 && fy < GLYPH_HEIGHT && gx < GLYPH_WIDTH && glyph?.[fy]?.[gx] === '#';
        paint(left + x, top + y, ink);
      }
    }
    return { ...frame, data };
  }
}

/** White (ink) or black, in the frame's own format; I420 chroma under the text turns neutral. */
function setPixel(frame: VideoFrameData, x: number, y: number, ink: boolean): void {
  if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) return;
  const { data, width, height } = frame;
  switch (frame.format) {
    case 'rgba': {
      const i = (y * width + x) * 4;
      data.fill(ink ? 255 : 0, i, i + 3);
      return;
    }
    case 'gray':
      data[y * width + x] = ink ? 255 : 0;
      return;
    case 'i420': {
      data[y * width + x] = Math.round(grayToY(ink ? 255 : 0, 'limited'));
      const chromaWidth = Math.ceil(width / 2);
      const chromaSize = chromaWidth * Math.ceil(height / 2);
      const c = (y >> 1) * chromaWidth + (x >> 1);
      data[width * height + c] = 128;
      data[width * height + chromaSize + c] = 128;
      return;
    }
  }
}

export const timestampOverlayDefinition = defineBuiltinNode<TimestampOverlayConfig>({
  name: 'TimestampOverlay',
  description: "Burns each frame's timestamp into the picture (white on black, in a corner).",
  category: 'video',
  configSchema: {
    properties: {
      position: { type: 'string', description: 'Corner of the frame.', enum: OVERLAY_POSITIONS, default: 'top-left' },
      scale: { type: 'integer', description: 'Font pixels per frame pixel (1 is 7 pixels tall).', minimum: 1, maximum: 16, default: 2 },
      style: { type: 'string', description: '`clock` (HH:MM:SS.mmm) or raw `milliseconds`.', enum: TIMESTAMP_STYLES, default: 'clock' },
      margin: { type: 'integer', description: 'Distance from the frame edges, in pixels.', minimum: 0, maximum: 1024, default: 4 },
    },
  },
  example: { position: 'bottom-right', scale: 3 },
  inputKinds: ['video'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new TimestampOverlayNode(config),
});
