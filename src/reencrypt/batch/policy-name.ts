/** The inline policy on the Batch Operations job role. */
export const BATCH_ROLE_POLICY_NAME = 'reencrypt-objects';
