import type { PolicyDocument } from '../../src/types.js';

export type ContextValue = string | string[];
export type RequestContext = Record<string, ContextValue>;

/** Who sent a request, as AWS's request context names it. */
export interface Caller {
  /** What policies' Principal elements match: the assumed-role session, or the root user. */
  principal: string;
  /** aws:PrincipalArn: the role ARN with its path (not the session), or the root ARN. */
  principalArn: string;
  accountId: string;
  /** The role's name, to read its identity policies; absent for the root user. */
  roleName?: string;
}

/** One authorization AWS makes for a request: an action on a resource, with its context. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  context: RequestContext;
  /** The bucket policy, key policy or trust policy that also decides, if the resource has one. */
  resourcePolicy?: PolicyDocument;
  /** The service whose refusal the caller would see for this authorization. */
  service: 's3' | 'kms' | 'iam' | 'sts' | 'tagging';
}

export type Verdict = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Decision {
  verdict: Verdict;
  /** For a refusal: where it came from, for AWS-style messages. */
  deniedBy?: 'identity-based policy' | 'resource-based policy';
}
