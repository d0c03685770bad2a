import { buildPlan } from '../../src/plan/build-plan.js';
import { buildKeyPolicy } from '../../src/plan/key-policy.js';
import { buildRolePolicy } from '../../src/plan/role-policies.js';
import type { Config, Plan, PolicyDocument } from '../../src/types.js';

/**
 * The Plan of a client-kms config. Its bucket layer is sse-kms's, with the same key; its key
 * and application policies are client-kms's own. Until the scheme plumbing (bucket layer by
 * scheme) is in buildPlan, this composes the two; once buildPlan gives client-kms a key policy,
 * it is buildPlan's Plan unchanged.
 */
export function clientKmsPlan(config: Config): Plan {
  if (config.scheme !== 'client-kms') throw new Error(`not a client-kms config: ${config.scheme}`);
  const plan = buildPlan(config);
  if (plan.documents.keyPolicy) return plan;
  const bucketLayer = buildPlan({ ...config, scheme: 'sse-kms' });
  const keyPolicy = buildKeyPolicy(config);
  const rolePolicies = { ...bucketLayer.documents.rolePolicies };
  if (rolePolicies.app) rolePolicies.app = buildRolePolicy(config, 'app', bucketLayer.keyArn);
  const app: PolicyDocument | undefined = rolePolicies.app;
  return {
    ...bucketLayer,
    config,
    documents: { ...bucketLayer.documents, keyPolicy, rolePolicies },
    steps: bucketLayer.steps.map((step) => {
      if (step.kind === 'kms.createKey' || step.kind === 'kms.putKeyPolicy')
        return { ...step, policy: keyPolicy };
      if (step.kind === 'iam.putRolePolicy' && step.roleKind === 'app' && app)
        return { ...step, policy: app };
      return step;
    }),
  };
}
