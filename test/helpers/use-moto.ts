import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Moto, startMoto } from './moto.js';

/**
 * One moto_server for the test file, wiped before each test (hooks run in the order they are
 * registered, so call this before a file's own beforeEach). The returned object reads through
 * to the running server; use it inside tests and hooks only.
 */
export function useMoto(): Moto {
  let server: Moto | undefined;
  const current = (): Moto => {
    if (!server) throw new Error('moto_server is not running: use it inside tests and hooks');
    return server;
  };
  beforeAll(async () => {
    server = await startMoto();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    await current().reset();
  });
  return {
    get endpoint() {
      return current().endpoint;
    },
    get env() {
      return current().env;
    },
    reset: () => current().reset(),
    stop: () => current().stop(),
  };
}
