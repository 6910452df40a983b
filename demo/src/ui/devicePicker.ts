import { listMediaDevices } from '@remotemedia/browser-sdk';
import { h } from './dom.ts';

/** Fills a select with the cameras or microphones; labels appear once the page has been granted access. */
export async function fillDeviceSelect(select: HTMLSelectElement, kind: 'videoinput' | 'audioinput'): Promise<void> {
  const chosen = select.value;
  const devices = await listMediaDevices(kind);
  const fallback = kind === 'videoinput' ? 'Default camera' : 'Default microphone';
  select.replaceChildren(
    h('option', { value: '', textContent: fallback }),
    ...devices
      .filter((device) => device.deviceId !== '' && device.deviceId !== 'default')
      .map((device, i) =>
        h('option', { value: device.deviceId, textContent: device.label || `${kind === 'videoinput' ? 'Camera' : 'Microphone'} ${i + 1}` }),
      ),
  );
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : '';
}
