import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { NODE_CATALOGUE, ValidationError, createNode, listNodes, validateConfig } from '@remotemedia/shared/nodes';

describe('listNodes', () => {
  it('describes every built-in as plain JSON with defaults, kinds and remote capability', () => {
    const nodes = listNodes();
    expect(nodes.map((n) => n.name)).toEqual([...NODE_CATALOGUE.keys()]);
    expect(JSON.parse(JSON.stringify(nodes))).toEqual(nodes);
    const gain = nodes.find((n) => n.name === 'Gain')!;
    expect(gain).toMatchObject({ category: 'audio', inputKinds: ['audio'], outputKinds: ['audio'], remote: true });
    expect(gain.configSchema.properties.gainDb).toMatchObject({ type: 'number', default: 0 });
    expect(nodes.find((n) => n.name === 'DataTransform')!.remote).toBe(false);
    expect(nodes.filter((n) => !n.remote).map((n) => n.name)).toEqual(['DataTransform']);
  });

  it('covers the general, audio and video nodes', () => {
    const names = new Set(NODE_CATALOGUE.keys());
    for (const name of [
      'PassThrough',
      'Buffer',
      'Calculator',
      'TextProcessor',
      'FormatConverter',
      'Gain',
      'Resample',
      'AudioChunker',
      'ChannelMix',
      'LevelMeter',
      'ClippingDetector',
      'SilenceDetector',
      'VoiceActivityDetector',
      'Grayscale',
      'Resize',
      'Flip',
      'Crop',
      'VideoFormatConverter',
      'VideoBuffer',
      'FrameRateLimiter',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
  });

  it('has at least 40 nodes, each with a description, a schema with descriptions, and a valid example config', () => {
    expect(NODE_CATALOGUE.size).toBeGreaterThanOrEqual(40);
    for (const definition of NODE_CATALOGUE.values()) {
      expect(definition.description.length, definition.name).toBeGreaterThan(20);
      for (const [field, schema] of Object.entries(definition.configSchema.properties)) {
        expect(schema.description.length, `${definition.name}.${field}`).toBeGreaterThan(5);
      }
      const example = definition.validate(definition.example);
      expect(example.ok, `${definition.name} example: ${JSON.stringify(example)}`).toBe(true);
      expect(createNode(definition.name, definition.example).name).toBe(definition.name);
    }
  });

  it('every node can be created from its defaults (plus required fields)', () => {
    const required: Record<string, unknown> = {
      DataTransform: { transform: (x: unknown) => x },
      Resize: { width: 2, height: 2 },
      Crop: { width: 2, height: 2 },
    };
    for (const name of NODE_CATALOGUE.keys()) expect(createNode(name, required[name]).name).toBe(name);
  });
});

describe('createNode', () => {
  it('throws UNKNOWN_NODE suggesting close names', () => {
    expect(() => createNode('Gian')).toThrow(expect.objectContaining({ code: ErrorCode.UnknownNode }));
    expect(() => createNode('Gian')).toThrow(/did you mean "Gain"/);
    expect(() => createNode('resample')).toThrow(/did you mean "Resample"/);
  });

  it('throws INVALID_CONFIG listing every issue with its path', () => {
    const error = (() => {
      try {
        createNode('Gain', { gainDb: 'loud', gian: 1 });
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe(ErrorCode.InvalidConfig);
    expect(error.issues).toEqual([
      { path: 'config.gainDb', message: 'must be a number between -120 and 60, got "loud"' },
      { path: 'config.gian', message: 'unknown option (did you mean "gainDb"?); expected one of gainDb' },
    ]);
  });
});

describe('validateConfig', () => {
  const schema = {
    properties: {
      rate: { type: 'integer' as const, description: 'rate', minimum: 8000, maximum: 192000, default: 16000 },
      mode: { type: 'string' as const, description: 'mode', enum: ['fast', 'slow'], default: 'fast' },
      on: { type: 'boolean' as const, description: 'on' },
      fps: { type: 'number' as const, description: 'fps', exclusiveMinimum: 0 },
    },
  };

  it('fills in defaults and keeps given values', () => {
    expect(validateConfig(schema, { on: true })).toEqual({ ok: true, value: { on: true, rate: 16000, mode: 'fast' } });
    expect(validateConfig(schema, undefined)).toEqual({ ok: true, value: { rate: 16000, mode: 'fast' } });
  });

  it('describes each violation', () => {
    const result = validateConfig(schema, { rate: 44100.5, mode: 'fsat', on: 'yes', fps: 0 }, 'nodes[0].config');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'nodes[0].config.rate: must be an integer between 8000 and 192000, got 44100.5',
      'nodes[0].config.mode: must be one of "fast", "slow", got "fsat" (did you mean "fast"?)',
      'nodes[0].config.on: must be true or false, got "yes"',
      'nodes[0].config.fps: must be a number greater than 0, got 0',
    ]);
    expect(validateConfig(schema, [1])).toEqual({ ok: false, issues: [{ path: 'config', message: 'must be an object, got [1]' }] });
  });
});
