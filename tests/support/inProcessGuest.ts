import { packSources } from '@remotemedia/browser-sdk/node';
import { openInProcessGuest as open, type InProcessGuest } from '@remotemedia/edge-server/testing';

export interface InProcessGuestOptions {
  /** Module sources by path, as packSources takes them. */
  sources: Record<string, string>;
  entry: string;
  exportName: string;
  ctorArgs?: unknown[];
  limits?: { memoryBytes?: number; callTimeoutMs?: number };
}

/** Packs sources as a deploy does and opens them in the edge's sandbox in this thread (no worker, no edge). */
export async function openInProcessGuest(options: InProcessGuestOptions): Promise<InProcessGuest> {
  const pkg = await packSources({ sources: options.sources, entry: options.entry, exportName: options.exportName });
  return open({ pkg, ctorArgs: options.ctorArgs ?? [], limits: options.limits ?? {} });
}
