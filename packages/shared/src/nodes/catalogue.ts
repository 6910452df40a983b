import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { PipelineNode } from '../pipeline/PipelineNode.ts';
import type { NodeDefinition, NodeDescriptor } from './NodeDefinition.ts';
import type { NodeLimits } from './NodeLimits.ts';
import { audioChunkerDefinition } from './audio/AudioChunker.ts';
import { biquadFilterDefinition } from './audio/BiquadFilter.ts';
import { dcBlockerDefinition } from './audio/DcBlocker.ts';
import { compressorDefinition } from './audio/Compressor.ts';
import { limiterDefinition } from './audio/Limiter.ts';
import { noiseGateDefinition } from './audio/NoiseGate.ts';
import { loudnessMeterDefinition } from './audio/LoudnessMeter.ts';
import { pitchDetectorDefinition } from './audio/PitchDetector.ts';
import { toneDetectorDefinition } from './audio/ToneDetector.ts';
import { dtmfDetectorDefinition } from './audio/DtmfDetector.ts';
import { channelMixDefinition } from './audio/ChannelMix.ts';
import { clippingDetectorDefinition } from './audio/ClippingDetector.ts';
import { gainDefinition } from './audio/Gain.ts';
import { levelMeterDefinition } from './audio/LevelMeter.ts';
import { noiseSuppressionDefinition } from './audio/NoiseSuppression.ts';
import { resampleDefinition } from './audio/Resample.ts';
import { sileroVADDefinition } from './audio/SileroVAD.ts';
import { silenceDetectorDefinition } from './audio/SilenceDetector.ts';
import { voiceActivityDetectorDefinition } from './audio/VoiceActivityDetector.ts';
import { bufferDefinition } from './general/Buffer.ts';
import { latencyTapDefinition } from './general/LatencyTap.ts';
import { jitterMeterDefinition } from './general/JitterMeter.ts';
import { calculatorDefinition } from './general/Calculator.ts';
import { dataTransformDefinition } from './general/DataTransform.ts';
import { formatConverterDefinition } from './general/FormatConverter.ts';
import { passThroughDefinition } from './general/PassThrough.ts';
import { textProcessorDefinition } from './general/TextProcessor.ts';
import { closestNames } from './schema/closestNames.ts';
import { cropDefinition } from './video/Crop.ts';
import { brightnessContrastDefinition } from './video/BrightnessContrast.ts';
import { blurDefinition } from './video/Blur.ts';
import { sharpenDefinition } from './video/Sharpen.ts';
import { edgeDetectorDefinition } from './video/EdgeDetector.ts';
import { motionDetectorDefinition } from './video/MotionDetector.ts';
import { freezeDetectorDefinition } from './video/FreezeDetector.ts';
import { blackFrameDetectorDefinition } from './video/BlackFrameDetector.ts';
import { timestampOverlayDefinition } from './video/TimestampOverlay.ts';
import { flipDefinition } from './video/Flip.ts';
import { frameRateLimiterDefinition } from './video/FrameRateLimiter.ts';
import { grayscaleDefinition } from './video/Grayscale.ts';
import { resizeDefinition } from './video/Resize.ts';
import { videoBufferDefinition } from './video/VideoBuffer.ts';
import { videoFormatConverterDefinition } from './video/VideoFormatConverter.ts';

const DEFINITIONS: readonly NodeDefinition<unknown>[] = [
  passThroughDefinition,
  bufferDefinition,
  dataTransformDefinition,
  calculatorDefinition,
  textProcessorDefinition,
  latencyTapDefinition,
  jitterMeterDefinition,
  formatConverterDefinition,
  gainDefinition,
  resampleDefinition,
  audioChunkerDefinition,
  channelMixDefinition,
  levelMeterDefinition,
  clippingDetectorDefinition,
  silenceDetectorDefinition,
  voiceActivityDetectorDefinition,
  biquadFilterDefinition,
  dcBlockerDefinition,
  compressorDefinition,
  limiterDefinition,
  noiseGateDefinition,
  loudnessMeterDefinition,
  pitchDetectorDefinition,
  toneDetectorDefinition,
  dtmfDetectorDefinition,
  sileroVADDefinition,
  noiseSuppressionDefinition,
  grayscaleDefinition,
  resizeDefinition,
  flipDefinition,
  cropDefinition,
  videoFormatConverterDefinition,
  videoBufferDefinition,
  frameRateLimiterDefinition,
  motionDetectorDefinition,
  freezeDetectorDefinition,
  blackFrameDetectorDefinition,
  timestampOverlayDefinition,
  brightnessContrastDefinition,
  blurDefinition,
  sharpenDefinition,
  edgeDetectorDefinition,
];

/** Every built-in node by name. The edge runs these natively when a pipeline places them remotely. */
export const NODE_CATALOGUE: ReadonlyMap<string, NodeDefinition<unknown>> = new Map(DEFINITIONS.map((definition) => [definition.name, definition]));

/** Serializable descriptors of every built-in (schemas include defaults), in catalogue order. */
export function listNodes(): NodeDescriptor[] {
  return [...NODE_CATALOGUE.values()].map(
    (definition) =>
      // A JSON round trip drops the factories and guarantees callers get plain, unshared data.
      JSON.parse(
        JSON.stringify({
          name: definition.name,
          description: definition.description,
          category: definition.category,
          configSchema: definition.configSchema,
          example: definition.example,
          inputKinds: definition.inputKinds,
          outputKinds: definition.outputKinds,
          acceptedFormats: definition.acceptedFormats,
          remote: definition.remote,
          model: definition.model,
        }),
      ) as NodeDescriptor,
  );
}

/** The definition for `name`; throws UNKNOWN_NODE suggesting close names. */
export function getNodeDefinition(name: string): NodeDefinition<unknown> {
  const definition = typeof name === 'string' ? NODE_CATALOGUE.get(name) : undefined;
  if (!definition) throw unknownNode(name);
  return definition;
}

/**
 * Builds a built-in node; throws UNKNOWN_NODE or INVALID_CONFIG (a ValidationError with every issue).
 * `limits` bound its outputs (see NodeLimits); none by default.
 */
export function createNode(name: string, config?: unknown, limits?: NodeLimits): PipelineNode {
  return getNodeDefinition(name).create(config, limits);
}

export function unknownNodeMessage(name: unknown): string {
  const close = typeof name === 'string' ? closestNames(name, NODE_CATALOGUE.keys()) : [];
  const hint = close.length > 0 ? `; did you mean ${close.map((n) => `"${n}"`).join(' or ')}?` : '';
  return `unknown node ${JSON.stringify(name)}${hint} (built-ins: ${[...NODE_CATALOGUE.keys()].join(', ')})`;
}

function unknownNode(name: unknown): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.UnknownNode, unknownNodeMessage(name));
}
