import type { AwsClients } from '../../src/aws/clients.js';

/*
 * Counts round trips without timing anything. An SDK middleware holds every answer (moto's,
 * or the error) until the whole wave of calls in flight has been answered and the program has
 * sent nothing new for a few macrotasks; then it releases the wave at once. A call sent while
 * a wave is held joins it (it is in flight together with it); a call sent after a release
 * starts the next wave. So the number of waves is the number of sequential round trips, the
 * same on every run, whatever moto's speed.
 */

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
interface WithStack {
  middlewareStack: {
    add(middleware: Middleware, options: { step: 'initialize'; name: string; override: boolean }): void;
  };
}

/** Macrotasks without a new call after which a fully answered wave is released. */
const QUIET_TURNS = 3;

export interface RoundCounter {
  /** The operations of each released wave, in order. */
  readonly waves: string[][];
  /** Forgets the waves so far (between two runs). */
  reset(): void;
}

export function countRounds(clients: AwsClients): RoundCounter {
  const waves: string[][] = [];
  let held: { operation: string; answered: boolean; release: () => void }[] = [];
  let sent = 0;
  let checking = false;

  const check = (quiet: number, seen: number): void => {
    setImmediate(() => {
      if (held.length === 0) {
        checking = false;
        return;
      }
      const allAnswered = held.every((call) => call.answered);
      if (!allAnswered || seen !== sent) return check(0, sent);
      if (quiet + 1 < QUIET_TURNS) return check(quiet + 1, seen);
      const wave = held;
      held = [];
      checking = false;
      waves.push(wave.map((call) => call.operation).sort());
      for (const call of wave) call.release();
    });
  };
  const watch = () => {
    if (checking) return;
    checking = true;
    check(0, sent);
  };

  for (const service of ['s3', 'kms', 'iam', 'sts'] as const) {
    const client = clients[service] as unknown as WithStack;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        let release = () => {};
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        const call = { operation, answered: false, release };
        held.push(call);
        sent += 1;
        watch();
        const outcome = await next(args).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        call.answered = true;
        await released;
        if ('error' in outcome) throw outcome.error;
        return outcome.value;
      },
      { step: 'initialize', name: 'createEncryptedBucketRoundCounter', override: true },
    );
  }
  return {
    waves,
    reset() {
      waves.length = 0;
    },
  };
}
