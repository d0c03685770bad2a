import { bucketEncryptionConfiguration } from '../plan/bucket-encryption.js';
import type { Plan, PolicyDocument, RoleKind } from '../types.js';

/** The file name each role kind's identity policy is written to, under policies/. */
export const ROLE_POLICY_FILES: Record<RoleKind, string> = {
  app: 'app-policy.json',
  operator: 'operator-policy.json',
  auditor: 'auditor-policy.json',
  keyAdmin: 'key-admin-policy.json',
  reencrypt: 'reencrypt-policy.json',
};

/** One JSON document of the output, with the exact text every consumer embeds. */
export interface JsonDocument {
  /** File name under policies/. */
  file: string;
  value: unknown;
  /** `JSON.stringify(value, null, 2)`: the same bytes in the file, setup.sh and Terraform. */
  text: string;
}

export { bucketEncryptionConfiguration };

export function serialise(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function documentOf(file: string, value: unknown): JsonDocument {
  return { file, value, text: serialise(value) };
}

export interface PlanDocuments {
  keyPolicy?: JsonDocument;
  bucketPolicy: JsonDocument;
  bucketEncryption: JsonDocument;
  publicAccessBlock: JsonDocument;
  /** Only kinds that have roles. */
  rolePolicies: Partial<Record<RoleKind, JsonDocument>>;
  /** Only with a re-encryption role: merge into its trust policy. */
  reencryptTrustPolicy?: JsonDocument;
  /** Never applied: for an AWS Organizations administrator to review and attach. */
  optionalScp?: JsonDocument;
}

/** Every JSON document of the output, taken from the Plan (never rebuilt here). */
export function planDocuments(plan: Plan): PlanDocuments {
  const rolePolicies: Partial<Record<RoleKind, JsonDocument>> = {};
  for (const [kind, policy] of Object.entries(plan.documents.rolePolicies) as [RoleKind, PolicyDocument][]) {
    if (plan.config.roles[kind].length > 0) rolePolicies[kind] = documentOf(ROLE_POLICY_FILES[kind], policy);
  }
  const { bucket } = plan.desired;
  return {
    ...(plan.documents.keyPolicy
      ? { keyPolicy: documentOf('key-policy.json', plan.documents.keyPolicy) }
      : {}),
    bucketPolicy: documentOf('bucket-policy.json', plan.documents.bucketPolicy),
    bucketEncryption: documentOf('bucket-encryption.json', bucketEncryptionConfiguration(bucket.encryption)),
    publicAccessBlock: documentOf('public-access-block.json', bucket.publicAccessBlock),
    rolePolicies,
    ...(plan.documents.reencryptTrustPolicy
      ? {
          reencryptTrustPolicy: documentOf(
            'reencrypt-trust-policy.json',
            plan.documents.reencryptTrustPolicy,
          ),
        }
      : {}),
    ...(plan.documents.optionalScp
      ? { optionalScp: documentOf('optional-scp.json', plan.documents.optionalScp) }
      : {}),
  };
}

export function allDocuments(documents: PlanDocuments): JsonDocument[] {
  return [
    ...(documents.keyPolicy ? [documents.keyPolicy] : []),
    documents.bucketPolicy,
    documents.bucketEncryption,
    documents.publicAccessBlock,
    ...Object.values(documents.rolePolicies),
    ...(documents.reencryptTrustPolicy ? [documents.reencryptTrustPolicy] : []),
    ...(documents.optionalScp ? [documents.optionalScp] : []),
  ];
}
