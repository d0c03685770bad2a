import { STSClient } from '@aws-sdk/client-sts';
import { discover } from '../../../src/apply/discover.js';
import { renderPlan } from '../../../src/render/index.js';
import { lockPlan } from '../../../src/render/lock-plan.js';
import type { Plan, RenderedFile } from '../../../src/types.js';
import type { Moto } from '../../helpers/moto.js';
import { clients } from './moto-state.js';
import { loadTemplates, writeToTemp } from './render-case.js';

/** Render as it runs with credentials: apply's discovery reads moto, render merges and locks. */
export async function renderDiscovered(
  moto: Moto,
  plan: Plan,
): Promise<{ dir: string; files: RenderedFile[] }> {
  const { s3, kms, iam } = clients(moto, plan.config.region);
  const sts = new STSClient({
    region: plan.config.region,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  try {
    const state = await discover({ s3, kms, iam, sts, destroy: () => undefined }, plan);
    const locked = lockPlan(plan, state);
    const files = renderPlan(locked.plan, await loadTemplates(), locked.lock);
    return { dir: await writeToTemp(files), files };
  } finally {
    for (const client of [s3, kms, iam, sts]) client.destroy();
  }
}

/** setup.sh's refusal when the account is not what render read. */
export const CHANGED = 'the account changed since this was rendered; render again';
