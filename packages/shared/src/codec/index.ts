// @remotemedia/shared/codec: the msgpack wire codec (with its size pre-scan) and WAV files.
export { encodeMessage } from './encodeMessage.ts';
export { encodeWithEncodedField } from './encodeWithEncodedField.ts';
export { decodeMessage } from './decodeMessage.ts';
export { prescanMessage, type Int64Policy, type PrescanLimits } from './prescan.ts';
export { resolveLimits, MAX_SUPPORTED_DEPTH } from './resolveLimits.ts';
export {
  WAV_BIT_DEPTHS,
  decodeWav,
  decodeWavFile,
  encodeWav,
  type DecodedWav,
  type WavBitDepth,
  type WavEncodeOptions,
  type WavSampleFormat,
} from './wav.ts';
