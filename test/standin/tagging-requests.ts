import type { AuthorizationRequest, Caller } from './types.js';

/*
 * The Resource Groups Tagging API (signing name "tagging", JSON 1.1), as far as the scripts
 * use it: setup.sh lists the keys tagged for its bucket with GetResources. Every tagging action
 * takes only the resource "*" (service authorization reference, prefix "tag"). Other operations
 * have no rule: the caller gets a 501, never a pass.
 */
const TARGET_PREFIX = 'ResourceGroupsTaggingAPI_20170126.';
const MODELLED = new Set(['GetResources']);

export interface TaggingJudgement {
  operation: string;
  before: AuthorizationRequest[];
}

export function judgeTagging(target: string, caller: Caller, secure: boolean): TaggingJudgement | undefined {
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (!MODELLED.has(operation)) return undefined;
  const context = {
    'aws:PrincipalArn': caller.principalArn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:SecureTransport': secure ? 'true' : 'false',
  };
  return { operation, before: [{ action: `tag:${operation}`, resource: '*', context, service: 'tagging' }] };
}
