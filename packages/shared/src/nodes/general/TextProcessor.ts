import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { describeValue } from '../schema/describeValue.ts';

export const TEXT_OPERATIONS = ['uppercase', 'lowercase', 'title-case', 'reverse', 'trim', 'word-count', 'char-count', 'line-count'] as const;
export type TextOperation = (typeof TEXT_OPERATIONS)[number];

export interface TextProcessorConfig {
  operation: TextOperation;
}

export function processText(operation: TextOperation, text: string): string | number {
  switch (operation) {
    case 'uppercase':
      return text.toUpperCase();
    case 'lowercase':
      return text.toLowerCase();
    case 'title-case':
      return text.replace(/\p{L}[\p{L}\p{M}'’]*/gu, (word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase());
    case 'reverse':
      // By code point, so emoji and other astral characters are not split into broken halves.
      return Array.from(text).reverse().join('');
    case 'trim':
      return text.trim();
    case 'word-count':
      return text.split(/\s+/u).filter((word) => word.length > 0).length;
    case 'char-count':
      return Array.from(text).length;
    case 'line-count':
      return text.length === 0 ? 0 : text.split(/\r\n|\r|\n/).length;
  }
}

/** Transforms text items (a string, or `{ text }`); counting operations emit a number. */
export class TextProcessorNode implements PipelineNode<string | { text: string }, string | number> {
  readonly name = 'TextProcessor';
  private readonly operation: TextOperation;

  constructor(config: TextProcessorConfig) {
    this.operation = config.operation;
  }

  process(input: string | { text: string }): string | number {
    const text = typeof input === 'string' ? input : (input as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `TextProcessor takes a string or { text }, got ${describeValue(input)}`);
    }
    return processText(this.operation, text);
  }
}

export const textProcessorDefinition = defineBuiltinNode<TextProcessorConfig>({
  name: 'TextProcessor',
  description: 'Case changes, reversal, trimming and word/character/line counts on text items.',
  category: 'general',
  configSchema: {
    properties: {
      operation: { type: 'string', description: 'What to do with each text.', enum: TEXT_OPERATIONS, default: 'uppercase' },
    },
  },
  example: { operation: 'uppercase' },
  inputKinds: ['data'],
  outputKinds: ['data'],
  remote: true,
  build: (config) => new TextProcessorNode(config),
});
