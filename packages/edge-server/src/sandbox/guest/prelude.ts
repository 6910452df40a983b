/**
 * Entry of the script evaluated in every sandbox before any user module (bundled by ../bundle into one
 * script). It runs as trusted code inside the guest: it installs the guest's console and hands the host the
 * functions of guestApi.ts.
 *
 * User code runs in the same realm and can patch any global or prototype. So the prelude captures every
 * intrinsic it uses before user code exists (intrinsics.ts), builds everything it hands to JSON.stringify or to
 * the host from null-prototype objects and arrays (containers.ts), writes user-named keys with defineProperty
 * through a null-prototype descriptor, and never calls a method looked up at run time. User getters, proxies
 * and iterators still run when the prelude reads user values: that is user code under the call's deadline, and
 * it can only produce more values, which the limits count. The host re-checks every size and count it reads.
 */
import { record } from './containers.ts';
import { drainConsole, installConsole } from './console.ts';
import { describeError } from './describeError.ts';
import { encode, pack } from './encode.ts';
import type { GuestApi } from './guestApi.ts';
import { invoke, setup, snapshot } from './instance.ts';
import { configure } from './limits.ts';

/**
 * Where the prelude leaves its API: a variable the bundle's wrapper declares around this code and returns, so
 * the API is the script's completion value and never a global (see GUEST_API_SLOT in guestApi.ts).
 */
declare let __remotemediaGuestApi: GuestApi | undefined;

// The host writes frame bytes straight into guest ArrayBuffers: nothing in the guest may detach one.
const arrayBufferProto = ArrayBuffer.prototype as unknown as Record<string, unknown>;
delete arrayBufferProto.transfer;
delete arrayBufferProto.transferToFixedLength;

installConsole();

const api = record<GuestApi>();
api.configure = configure;
api.pack = pack;
api.setup = setup;
api.invoke = invoke;
api.encode = encode;
api.snapshot = snapshot;
api.describeError = describeError;
api.drainConsole = drainConsole;

__remotemediaGuestApi = api;
