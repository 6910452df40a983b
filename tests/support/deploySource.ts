import { packSources, type RemoteNode, type RemoteSession } from '@remotemedia/browser-sdk/node';

/** Deploys a one-module JavaScript class given as source text; the class is the module's `export class Name`. */
export async function deploySource(session: RemoteSession, source: string): Promise<RemoteNode> {
  const exportName = /export class (\w+)/.exec(source)?.[1];
  if (exportName === undefined) throw new Error('the source exports no class');
  return session.deploy(await packSources({ sources: { 'node.js': source }, entry: 'node.js', exportName }));
}
