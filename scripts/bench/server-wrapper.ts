/**
 * Preloaded (`node --require`) into our real server when the harness forks it: adds the
 * benchmark-only IPC hooks, then node runs server/main as usual. No server code changes.
 */
import { installServerHooks } from './server-hooks';

installServerHooks();
