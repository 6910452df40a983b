/**
 * Cameras or microphones the page may use. Browsers hide device labels until the page has been granted
 * access once; pass `{ requestAccess: true }` to ask first so the labels are filled in.
 */
export async function listMediaDevices(kind: 'videoinput' | 'audioinput', options: { requestAccess?: boolean } = {}): Promise<MediaDeviceInfo[]> {
  const devices = navigator.mediaDevices;
  if (options.requestAccess) {
    const stream = await devices.getUserMedia(kind === 'videoinput' ? { video: true } : { audio: true });
    stream.getTracks().forEach((track) => track.stop());
  }
  return (await devices.enumerateDevices()).filter((device) => device.kind === kind);
}
