import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiCall, recordCalls } from '../../src/apply/call-log.js';
import { PHASES, WRITE_OPERATION } from '../../src/apply/execute.js';
import { runApply } from '../../src/apply/run-apply.js';
import { stepLabel } from '../../src/apply/step-labels.js';
import { AwsError } from '../../src/errors.js';
import { resolveKeyArn } from '../../src/plan/build-plan.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import { readEndState } from './read-back.js';
import {
  ALIAS,
  applyOptions,
  createRoles,
  motoClients,
  planFor,
  ROLES,
  recordingUi,
  useMotoEnvironment,
} from './support.js';

/*
 * Layer: integration against moto. For every write call N of a fresh apply, the Nth write
 * fails (injected before it is sent, by an SDK middleware); the error must name the step,
 * and a plain re-run must converge to the one end state: one key tagged for the bucket,
 * one alias, every bucket-policy Sid once, and no further writes.
 */

let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnvironment(moto);
});

afterAll(async () => {
  await moto?.stop();
});

/** The phase (index in PHASES) whose step makes this write call. */
function phaseOf(operation: string): number {
  const phase = PHASES.findIndex((kinds) => kinds.some((kind) => WRITE_OPERATION[kind] === operation));
  if (phase < 0) throw new Error(`no phase writes ${operation}`);
  return phase;
}

const operations = (calls: ApiCall[]) => calls.map((call) => call.operation).sort();

async function freshAccount(): Promise<void> {
  await moto.reset();
  const setup = motoClients(moto);
  await createRoles(setup);
  setup.destroy();
}

describe('fault injection', () => {
  it('for every N, failing the Nth write names the step and a re-run converges', {
    timeout: 180_000,
  }, async () => {
    const plan = planFor();
    await freshAccount();
    const counting = motoClients(moto);
    const countLog = recordCalls(counting);
    await runApply(plan, applyOptions(counting), recordingUi());
    counting.destroy();
    const writeCount = countLog.writes().length;
    expect(writeCount).toBe(11);

    for (let n = 1; n <= writeCount; n += 1) {
      await freshAccount();
      const failing = motoClients(moto);
      const log = recordCalls(failing, { failWrite: n });
      const error = await runApply(plan, applyOptions(failing), recordingUi()).catch((e: unknown) => e);
      failing.destroy();

      expect(error, `write #${n}`).toBeInstanceOf(AwsError);
      const awsError = error as AwsError;
      const injected = log.injected;
      expect(injected, `write #${n}`).toBeDefined();
      expect(awsError.operation).toBe(injected?.operation);
      expect(awsError.errorName).toBe('InjectedFault');
      const failedStep = plan.steps.find((step) => stepLabel(step) === awsError.step);
      expect(failedStep && WRITE_OPERATION[failedStep.kind], `step "${awsError.step}"`).toBe(
        injected?.operation,
      );
      // Exactly the writes of the phases up to the failed step's: the other steps of its phase
      // were tried too (they run together), and no later phase started.
      const failedPhase = phaseOf(injected?.operation ?? '');
      const upToFailed = countLog.writes().filter((call) => phaseOf(call.operation) <= failedPhase);
      expect(operations(log.writes()), `write #${n}`).toEqual(operations(upToFailed));
      const phasesInOrder = log.writes().map((call) => phaseOf(call.operation));
      expect(phasesInOrder, `write #${n}`).toEqual([...phasesInOrder].sort((a, b) => a - b));

      const rerun = motoClients(moto);
      const result = await runApply(plan, applyOptions(rerun), recordingUi());
      rerun.destroy();
      const end = await readEndState(motoClients(moto), plan);
      expect(end.taggedKeys, `after failing write #${n}`).toEqual([result.keyArn]);
      expect(end.aliases).toEqual({ [ALIAS]: result.keyArn });
      const sids = end.bucketPolicy.Statement.map((statement) => statement.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      expect(end.bucketPolicy).toEqual(resolveKeyArn(plan.documents.bucketPolicy, result.keyArn as string));
      expect(end.keyPolicy).toEqual(plan.documents.keyPolicy);
      expect(end.rotationEnabled).toBe(true);
      expect(Object.keys(end.rolePolicies).sort()).toEqual(Object.values(ROLES).sort());

      const settled = motoClients(moto);
      const settledLog = recordCalls(settled);
      await runApply(plan, applyOptions(settled), recordingUi());
      settled.destroy();
      expect(settledLog.writes(), `third run after failing write #${n}`).toEqual([]);
    }
  });
});
