import { encodeWav, type WavBitDepth } from '@remotemedia/shared';
import { joinAudio } from './audioBlocks.ts';
import type { FileFormat } from './fileFormat.ts';
import { writeBytes } from './files.ts';
import { stringifyOutputs } from './jsonItems.ts';

/** Writes what the pipeline emitted and returns a description for the summary line. */
export async function writeRunOutput(path: string, format: FileFormat, outputs: readonly unknown[], bitDepth: WavBitDepth): Promise<string> {
  if (format === 'json') {
    await writeBytes(path, stringifyOutputs(outputs));
    return `${outputs.length} item${outputs.length === 1 ? '' : 's'}`;
  }
  const frame = joinAudio(outputs, path);
  await writeBytes(path, encodeWav(frame, { bitDepth }));
  const length = frame.samples.length / frame.channels;
  const depth = bitDepth === 32 ? '32-bit float' : `${bitDepth}-bit`;
  return `${length} samples at ${frame.sampleRate} Hz x ${frame.channels} ch, ${depth}`;
}
