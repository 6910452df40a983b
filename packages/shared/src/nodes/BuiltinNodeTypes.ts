import type { NodeInput, NodeOutput } from '../pipeline/NodeClass.ts';
import type { AudioChunkerNode } from './audio/AudioChunker.ts';
import type { BiquadFilterNode } from './audio/BiquadFilter.ts';
import type { DcBlockerNode } from './audio/DcBlocker.ts';
import type { CompressorNode } from './audio/Compressor.ts';
import type { LimiterNode } from './audio/Limiter.ts';
import type { NoiseGateNode } from './audio/NoiseGate.ts';
import type { LoudnessMeterNode } from './audio/LoudnessMeter.ts';
import type { PitchDetectorNode } from './audio/PitchDetector.ts';
import type { ToneDetectorNode } from './audio/ToneDetector.ts';
import type { DtmfDetectorNode } from './audio/DtmfDetector.ts';
import type { ChannelMixNode } from './audio/ChannelMix.ts';
import type { ClippingDetectorNode } from './audio/ClippingDetector.ts';
import type { GainNode } from './audio/Gain.ts';
import type { LevelMeterNode } from './audio/LevelMeter.ts';
import type { NoiseSuppressionNode } from './audio/NoiseSuppression.ts';
import type { ResampleNode } from './audio/Resample.ts';
import type { SileroVADNode } from './audio/SileroVAD.ts';
import type { SilenceDetectorNode } from './audio/SilenceDetector.ts';
import type { VoiceActivityDetectorNode } from './audio/VoiceActivityDetector.ts';
import type { BufferNode } from './general/Buffer.ts';
import type { LatencyTapNode } from './general/LatencyTap.ts';
import type { JitterMeterNode } from './general/JitterMeter.ts';
import type { CalculatorNode } from './general/Calculator.ts';
import type { DataTransformNode } from './general/DataTransform.ts';
import type { FormatConverterNode } from './general/FormatConverter.ts';
import type { PassThroughNode } from './general/PassThrough.ts';
import type { TextProcessorNode } from './general/TextProcessor.ts';
import type { CropNode } from './video/Crop.ts';
import type { BrightnessContrastNode } from './video/BrightnessContrast.ts';
import type { BlurNode } from './video/Blur.ts';
import type { SharpenNode } from './video/Sharpen.ts';
import type { EdgeDetectorNode } from './video/EdgeDetector.ts';
import type { MotionDetectorNode } from './video/MotionDetector.ts';
import type { FreezeDetectorNode } from './video/FreezeDetector.ts';
import type { BlackFrameDetectorNode } from './video/BlackFrameDetector.ts';
import type { TimestampOverlayNode } from './video/TimestampOverlay.ts';
import type { FlipNode } from './video/Flip.ts';
import type { FrameRateLimiterNode } from './video/FrameRateLimiter.ts';
import type { GrayscaleNode } from './video/Grayscale.ts';
import type { ResizeNode } from './video/Resize.ts';
import type { VideoBufferNode } from './video/VideoBuffer.ts';
import type { VideoFormatConverterNode } from './video/VideoFormatConverter.ts';

/** The class behind each built-in, by catalogue name (a test keeps the names equal to the catalogue's). */
export interface BuiltinNodeClasses {
  PassThrough: PassThroughNode;
  Buffer: BufferNode;
  DataTransform: DataTransformNode;
  Calculator: CalculatorNode;
  TextProcessor: TextProcessorNode;
  LatencyTap: LatencyTapNode;
  JitterMeter: JitterMeterNode;
  FormatConverter: FormatConverterNode;
  Gain: GainNode;
  Resample: ResampleNode;
  AudioChunker: AudioChunkerNode;
  ChannelMix: ChannelMixNode;
  LevelMeter: LevelMeterNode;
  ClippingDetector: ClippingDetectorNode;
  SilenceDetector: SilenceDetectorNode;
  VoiceActivityDetector: VoiceActivityDetectorNode;
  BiquadFilter: BiquadFilterNode;
  DcBlocker: DcBlockerNode;
  Compressor: CompressorNode;
  Limiter: LimiterNode;
  NoiseGate: NoiseGateNode;
  LoudnessMeter: LoudnessMeterNode;
  PitchDetector: PitchDetectorNode;
  ToneDetector: ToneDetectorNode;
  DtmfDetector: DtmfDetectorNode;
  SileroVAD: SileroVADNode;
  NoiseSuppression: NoiseSuppressionNode;
  Grayscale: GrayscaleNode;
  Resize: ResizeNode;
  Flip: FlipNode;
  Crop: CropNode;
  VideoFormatConverter: VideoFormatConverterNode;
  VideoBuffer: VideoBufferNode;
  FrameRateLimiter: FrameRateLimiterNode;
  MotionDetector: MotionDetectorNode;
  FreezeDetector: FreezeDetectorNode;
  BlackFrameDetector: BlackFrameDetectorNode;
  TimestampOverlay: TimestampOverlayNode;
  BrightnessContrast: BrightnessContrastNode;
  Blur: BlurNode;
  Sharpen: SharpenNode;
  EdgeDetector: EdgeDetectorNode;
}

export type BuiltinNodeName = keyof BuiltinNodeClasses;

/** What the built-in `name` takes and produces, e.g. `BuiltinNodeIO<'Resample'>['output']` is AudioFrameData. */
export interface BuiltinNodeIO<K extends BuiltinNodeName> {
  input: NodeInput<BuiltinNodeClasses[K]>;
  output: NodeOutput<BuiltinNodeClasses[K]>;
}
