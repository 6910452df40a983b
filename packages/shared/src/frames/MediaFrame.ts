import type { AudioFrameData } from './AudioFrameData.ts';
import type { VideoFrameData } from './VideoFrameData.ts';

export type MediaFrame = VideoFrameData | AudioFrameData;
