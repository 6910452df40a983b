import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';

/** Forwards every item unchanged. It has no `process`: the pipeline forwards for it, so even iterators pass as one item. */
export class PassThroughNode implements PipelineNode {
  readonly name = 'PassThrough';
}

export const passThroughDefinition = defineBuiltinNode<Record<string, never>>({
  name: 'PassThrough',
  description: 'Forwards every item unchanged.',
  category: 'general',
  configSchema: { properties: {} },
  example: {},
  inputKinds: ['video', 'audio', 'data'],
  // Passes frames on whatever their layout, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video', 'audio', 'data'],
  remote: true,
  build: () => new PassThroughNode(),
});
