import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import type { NodeResult, PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';

export type TransformFunction = (input: unknown) => NodeResult<unknown> | Promise<NodeResult<unknown>>;

export interface DataTransformConfig {
  transform: TransformFunction;
}

/**
 * Applies a function to every item. Whatever the function returns follows the node rules: `undefined` filters,
 * a generator emits many. Local only: a closure cannot be sent to the edge (ship a custom node instead).
 */
export class DataTransformNode implements PipelineNode {
  readonly name = 'DataTransform';
  private readonly transform: TransformFunction;

  constructor(config: DataTransformConfig) {
    this.transform = config.transform;
  }

  process(input: unknown): NodeResult<unknown> | Promise<NodeResult<unknown>> {
    return this.transform(input);
  }
}

export const dataTransformDefinition = defineBuiltinNode<DataTransformConfig>({
  name: 'DataTransform',
  description: 'Applies a JavaScript function to every item (undefined filters it out). Runs locally only.',
  category: 'general',
  configSchema: {
    properties: { transform: { type: 'function', description: 'Called with each item; may be async or a generator.' } },
    required: ['transform'],
  },
  example: { transform: (item: unknown) => item },
  inputKinds: ['video', 'audio', 'data'],
  // Passes frames on whatever their layout, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video', 'audio', 'data'],
  remote: false,
  build: (config) => new DataTransformNode(config),
});
