import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type StandIn, startStandIn } from './standin.js';

/**
 * One stand-in (and its moto) per test file, wiped before each test: each test starts from a
 * fresh account holding only the administrator role. Call before the file's own beforeEach.
 */
export function useStandIn(): StandIn {
  let server: StandIn | undefined;
  const current = (): StandIn => {
    if (!server) throw new Error('the stand-in is not running: use it inside tests and hooks');
    return server;
  };
  beforeAll(async () => {
    server = await startStandIn();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    await current().reset();
  });
  return new Proxy({} as StandIn, {
    get: (_target, property) => {
      const value = Reflect.get(current(), property);
      return typeof value === 'function' ? value.bind(current()) : value;
    },
  });
}
