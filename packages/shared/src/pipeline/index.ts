// @remotemedia/shared/pipeline: local pipelines of nodes, their queues, events and manifests.
export { Pipeline } from './Pipeline.ts';
export type { AddNodeOptions, PipelineOptions } from './Pipeline.ts';
export type { NodeResult, PipelineNode } from './PipelineNode.ts';
export type { NodeClass, NodeInput, NodeInstance, NodeOutput } from './NodeClass.ts';
export { defineNode } from './defineNode.ts';
export { ACCEPTED_FORMATS_FIELD, acceptedFormatsOf, parseAcceptedFormats, toAcceptedFormat } from './acceptedFormats.ts';
export { collectResult, isManyResult } from './nodeOutput.ts';
export { NodeError } from './NodeError.ts';
export type { NodePhase } from './NodeError.ts';
export type { NodeStats } from './NodeStats.ts';
export type { PipelineEventMap, PipelineEventName, PipelineListener } from './PipelineEvents.ts';
export { BoundedQueue } from './BoundedQueue.ts';
export type { PushResult, ShiftResult } from './BoundedQueue.ts';
export { DEFAULT_QUEUE_OPTIONS, MAX_QUEUE_CAPACITY, QUEUE_POLICIES } from './QueueOptions.ts';
export type { QueueOptions, QueuePolicy } from './QueueOptions.ts';
export { MANIFEST_VERSION, PLACEMENTS, buildGraph, buildLocalPipeline, buildPipeline, describeManifest, validateManifest } from './manifest.ts';
export { PipelineGraph } from './graph/PipelineGraph.ts';
export type { ConnectOptions, GraphNodeOptions } from './graph/PipelineGraph.ts';
export { GRAPH_INPUT, JOIN_POLICIES } from './graph/GraphTopology.ts';
export type { JoinPolicy } from './graph/GraphTopology.ts';
export type { GraphConnectionStats, GraphOutput, GraphResult, GraphStats } from './graph/GraphOutput.ts';
export type {
  BuildPipelineOptions,
  ManifestConnection,
  ManifestNode,
  ManifestValidation,
  PipelineManifest,
  Placement,
  ResolvedManifest,
} from './manifest.ts';
