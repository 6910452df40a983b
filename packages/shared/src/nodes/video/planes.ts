import type { PixelFormat } from '../../frames/VideoFrameData.ts';

/** One plane of a frame's buffer: where it starts and its size in pixels and bytes per pixel. */
export interface Plane {
  readonly offset: number;
  readonly width: number;
  readonly height: number;
  readonly bytesPerPixel: number;
}

/** The planes of a frame, so geometric nodes (flip, crop, resize) treat every format alike. */
export function planesOf(format: PixelFormat, width: number, height: number): Plane[] {
  switch (format) {
    case 'rgba':
      return [{ offset: 0, width, height, bytesPerPixel: 4 }];
    case 'gray':
      return [{ offset: 0, width, height, bytesPerPixel: 1 }];
    case 'i420': {
      const chromaWidth = Math.ceil(width / 2);
      const chromaHeight = Math.ceil(height / 2);
      const lumaSize = width * height;
      return [
        { offset: 0, width, height, bytesPerPixel: 1 },
        { offset: lumaSize, width: chromaWidth, height: chromaHeight, bytesPerPixel: 1 },
        { offset: lumaSize + chromaWidth * chromaHeight, width: chromaWidth, height: chromaHeight, bytesPerPixel: 1 },
      ];
    }
  }
}
