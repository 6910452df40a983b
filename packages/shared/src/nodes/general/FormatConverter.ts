import { Packr, Unpackr } from 'msgpackr';
import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import { describeValue } from '../schema/describeValue.ts';

/** `json`: JSON text; `msgpack`: MessagePack bytes (Uint8Array); `object`: the decoded JavaScript value. */
export const DATA_FORMATS = ['json', 'msgpack', 'object'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

export interface FormatConverterConfig {
  from: DataFormat;
  to: DataFormat;
}

// Records and structured-clone extensions are msgpackr-only; plain MessagePack is what other tools read.
const packr = new Packr({ useRecords: false, moreTypes: false });
const unpackr = new Unpackr({ useRecords: false, moreTypes: false });

/** Converts data items between JSON text, MessagePack bytes and plain values. */
export class FormatConverterNode implements PipelineNode {
  readonly name = 'FormatConverter';
  private readonly from: DataFormat;
  private readonly to: DataFormat;
  private readonly output: OutputAllocator;

  constructor(config: FormatConverterConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.from = config.from;
    this.to = config.to;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(input: unknown): unknown {
    return encode(this.to, decode(this.from, input), this.output);
  }
}

function decode(format: DataFormat, input: unknown): unknown {
  switch (format) {
    case 'object':
      return input;
    case 'json':
      if (typeof input !== 'string') throw invalid(`expected JSON text, got ${describeValue(input)}`);
      try {
        return JSON.parse(input);
      } catch (error) {
        throw invalid(`input is not valid JSON: ${(error as Error).message}`, error);
      }
    case 'msgpack':
      if (!(input instanceof Uint8Array)) throw invalid(`expected MessagePack bytes (Uint8Array), got ${describeValue(input)}`);
      try {
        return unpackr.unpack(input);
      } catch (error) {
        throw invalid(`input is not valid MessagePack: ${(error as Error).message}`, error);
      }
  }
}

function encode(format: DataFormat, value: unknown, output: OutputAllocator): unknown {
  switch (format) {
    case 'object':
      return value;
    case 'json': {
      let text: string | undefined;
      try {
        text = JSON.stringify(value, lengthGuard(output));
      } catch (error) {
        if (error instanceof RemoteMediaError) throw error;
        throw invalid(`value cannot be written as JSON: ${(error as Error).message}`, error);
      }
      if (text === undefined) throw invalid(`value cannot be written as JSON: ${describeValue(value)}`);
      return text;
    }
    case 'msgpack':
      // Copy: msgpackr may hand out a view of its reusable buffer (a Node Buffer on Node).
      return new Uint8Array(packr.pack(value));
  }
}

/**
 * JSON text can be many times its input (each byte of a Uint8Array becomes `"123":255,`): a replacer that
 * counts about what is written and stops the encoder once the text would be too large to send.
 */
function lengthGuard(output: OutputAllocator): ((key: string, value: unknown) => unknown) | undefined {
  const limit = output.limits.maxItemBytes;
  if (!Number.isFinite(limit)) return undefined;
  let written = 0;
  return (key, value) => {
    written += key.length + (typeof value === 'string' ? value.length : 8);
    if (written > limit) output.checkItem(written, 'the JSON text');
    return value;
  };
}

function invalid(message: string, cause?: unknown): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.InvalidInput, message, { cause });
}

export const formatConverterDefinition = defineBuiltinNode<FormatConverterConfig>({
  name: 'FormatConverter',
  description: 'Converts data between JSON text, MessagePack bytes and plain values.',
  category: 'general',
  configSchema: {
    properties: {
      from: { type: 'string', description: 'Format of incoming items.', enum: DATA_FORMATS, default: 'json' },
      to: { type: 'string', description: 'Format of outgoing items.', enum: DATA_FORMATS, default: 'msgpack' },
    },
  },
  example: { from: 'json', to: 'msgpack' },
  inputKinds: ['data'],
  outputKinds: ['data'],
  remote: true,
  refine: (config) => (config.from === config.to ? [{ field: 'to', message: `must differ from "from" ("${config.from}")` }] : []),
  build: (config, limits) => new FormatConverterNode(config, limits),
});
