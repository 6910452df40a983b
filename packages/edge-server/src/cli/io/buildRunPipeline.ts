import { ErrorCode, RemoteMediaError, buildPipeline, type Pipeline, type PipelineNode, type ResolvedManifest } from '@remotemedia/shared';
import type { EdgeSession } from './connectEdge.ts';

/**
 * Builds the manifest's pipeline, creating each node placed `remote` on the edge first: `session.node` is async
 * while buildPipeline's `createRemote` is not, so the remote nodes are made in manifest order and handed out
 * in that order. Without a session a remote node is an error, never silently run here.
 */
export async function buildRunPipeline(manifest: ResolvedManifest, session: EdgeSession | undefined): Promise<Pipeline> {
  const remote = manifest.nodes.filter((entry) => entry.placement === 'remote');
  if (remote.length === 0) return buildPipeline(manifest);
  if (session === undefined) {
    throw new RemoteMediaError(ErrorCode.InvalidManifest, 'the manifest places nodes remote, but no edge session was opened');
  }
  const nodes: PipelineNode[] = [];
  for (const entry of remote) nodes.push(await session.node(entry.node, entry.config));
  return buildPipeline(manifest, {
    createRemote: (name) => {
      const node = nodes.shift();
      if (node === undefined) throw new RemoteMediaError(ErrorCode.Internal, `no remote node was created for ${name}`);
      return node;
    },
  });
}
