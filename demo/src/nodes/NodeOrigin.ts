import type { NodeDescriptor, NodePackage } from '@remotemedia/browser-sdk';
import type { EditorContent } from '../ui/CodeEditor.ts';

/**
 * How the node on a lane was made, so the page can make it again (redeploy after it died) and write the
 * code that makes it in someone's app (the snippet).
 */
export type NodeOrigin =
  | { from: 'catalogue'; descriptor: NodeDescriptor; config: Record<string, unknown> }
  | { from: 'editor'; content: EditorContent; pkg: NodePackage };
