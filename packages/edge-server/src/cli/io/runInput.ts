import { RemoteMediaError, decodeWavFile, type WavBitDepth } from '@remotemedia/shared';
import { audioBlockCount, audioBlocks } from './audioBlocks.ts';
import type { FileFormat } from './fileFormat.ts';
import { readBytes } from './files.ts';
import { parseJsonItems } from './jsonItems.ts';

/** What `run` feeds the pipeline, read from the input file before anything connects or starts. */
export interface RunInput {
  readonly items: Iterable<unknown>;
  /** How many items `items` yields, and what they are (plural), for the progress display. */
  readonly count: number;
  readonly unit: 'frames' | 'items';
  /** For the summary line, e.g. `1.000 s of 48000 Hz mono` or `3 items`. */
  readonly description: string;
  /** The depth a WAV output keeps when --bit-depth is not given: the input's, where WAV output can hold it. */
  readonly bitDepth: WavBitDepth;
}

export async function readRunInput(path: string, format: FileFormat): Promise<RunInput> {
  const bytes = await readBytes(path);
  if (format === 'json') {
    const items = parseJsonItems(new TextDecoder().decode(bytes), path);
    return { items, count: items.length, unit: 'items', description: `${items.length} item${items.length === 1 ? '' : 's'}`, bitDepth: 16 };
  }
  let decoded;
  try {
    decoded = decodeWavFile(bytes);
  } catch (error) {
    if (!(error instanceof RemoteMediaError)) throw error;
    // The codec's message says what is wrong; the file name says where.
    throw new RemoteMediaError(error.code, `${path}: ${error.message}`, { cause: error });
  }
  const { frame, format: sampleFormat } = decoded;
  const seconds = frame.samples.length / frame.channels / frame.sampleRate;
  return {
    items: audioBlocks(frame),
    count: audioBlockCount(frame),
    unit: 'frames',
    description: `${seconds.toFixed(3)} s of ${frame.sampleRate} Hz x ${frame.channels} ch`,
    // 8-bit is widened to 16 and 32-bit integer kept as 32-bit float: encodeWav writes 16, 24 and float 32.
    bitDepth: sampleFormat.float || sampleFormat.bitDepth === 32 ? 32 : sampleFormat.bitDepth === 24 ? 24 : 16,
  };
}
