import { KEY_TAG_KEY } from '../plan/build-plan.js';
import { schemeTraits } from '../plan/schemes.js';
import type { Plan, PlanStep, Tag } from '../types.js';

/** What every view needs to know about the plan's key, in one place. */
export interface KeyFacts {
  kms: boolean;
  newKey: boolean;
  existingKey: boolean;
  /** New key only. */
  alias?: string;
  rotationDays?: number;
  description?: string;
  tags: Tag[];
  /** The tag a re-run looks the new key up by. */
  lookupTag?: Tag;
  /** Existing key only: the literal ARN. */
  existingArn?: string;
}

export function findStep<K extends PlanStep['kind']>(
  plan: Plan,
  kind: K,
): Extract<PlanStep, { kind: K }> | undefined {
  return plan.steps.find((step): step is Extract<PlanStep, { kind: K }> => step.kind === kind);
}

export function keyFacts(plan: Plan): KeyFacts {
  const key = schemeTraits(plan.config.scheme).usesKmsKey ? plan.config.key : undefined;
  if (key?.kind === 'existing') {
    return { kms: true, newKey: false, existingKey: true, tags: [], existingArn: key.arn };
  }
  if (key?.kind === 'new') {
    const createKey = findStep(plan, 'kms.createKey');
    if (!createKey) throw new Error('a plan for a new key has no kms.createKey step');
    const lookupTag = createKey.tags.find((tag) => tag.Key === KEY_TAG_KEY);
    if (!lookupTag)
      throw new Error(`a new key must carry the ${KEY_TAG_KEY} tag, or a re-run cannot find it`);
    return {
      kms: true,
      newKey: true,
      existingKey: false,
      alias: key.alias,
      rotationDays: findStep(plan, 'kms.enableRotation')?.rotationDays ?? key.rotationDays,
      description: createKey.description,
      tags: createKey.tags,
      lookupTag,
    };
  }
  return { kms: false, newKey: false, existingKey: false, tags: [] };
}
