// `npm run build:guest`, the first step of `npm run build`: builds the guest bundle the edge loads and writes it
// to packages/edge-server/dist/guest-bundle.json.
import { buildGuestBundle, GUEST_BUNDLE_PATH } from './buildGuestBundle.ts';
import { writeStoredBundle } from './storedGuestBundle.ts';

const started = Date.now();
const bundle = buildGuestBundle();
const failure = writeStoredBundle(bundle);
if (failure !== undefined) {
  console.error(`cannot write the guest bundle ${GUEST_BUNDLE_PATH}: ${failure}`);
  process.exit(1);
}
console.log(`guest bundle: ${GUEST_BUNDLE_PATH} from ${Object.keys(bundle.inputs).length} sources in ${Date.now() - started} ms`);
