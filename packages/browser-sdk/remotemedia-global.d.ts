// Types of the script-tag build. `<script src="https://EDGE/sdk/remotemedia.iife.js">` defines one global,
// `RemoteMedia`, holding everything this package's browser entry exports (`connect`, `packSources`, `Pipeline`,
// `cameraFrames`...). In a TypeScript (or checked JavaScript) page that uses the global instead of imports, add
// `/// <reference types="@remotemedia/browser-sdk/global" />` or list "@remotemedia/browser-sdk/global" in
// compilerOptions.types.
type RemoteMediaApi = typeof import('@remotemedia/browser-sdk');

declare global {
  var RemoteMedia: RemoteMediaApi;
}

export {};
