// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Fn::Sub text, not a JS template.
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';

/*
 * What a parsed cloudformation/template.yaml describes, in the Plan's own terms (the new key
 * as <KEY_ARN>), so a test can hold it against the Plan, apply's result or Terraform's.
 */

export type Json = unknown;

export interface CfnResource {
  Type: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Properties: Record<string, Json>;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion: string;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Value: Json }>;
}

export const NEW_KEY_ARN = { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] };

/** The template's key reference back to the Plan's placeholder (Fn::Sub undone too). */
export function unsubstitute(value: Json): Json {
  if (Array.isArray(value)) return value.map(unsubstitute);
  if (typeof value !== 'object' || value === null) return value;
  if (JSON.stringify(value) === JSON.stringify(NEW_KEY_ARN)) return KEY_ARN_PLACEHOLDER;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first?.[0] === 'Fn::Sub' && typeof first[1] === 'string') {
    return first[1].replaceAll('${EncryptionKey.Arn}', KEY_ARN_PLACEHOLDER).replaceAll('${!', '${');
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, unsubstitute(item)]));
}

export interface CloudFormationState {
  key?: { policy: Json; rotationDays?: Json; alias?: Json; tags: Json };
  bucket?: { name: Json; encryption: Json; publicAccessBlock: Json; ownership: Json };
  bucketPolicy?: Json;
  rolePolicies: { roleName: Json; policyName: Json; policy: Json }[];
}

function ofType(template: CfnTemplate, type: string): CfnResource[] {
  return Object.values(template.Resources).filter((resource) => resource.Type === type);
}

export function cloudFormationState(template: CfnTemplate): CloudFormationState {
  const [key] = ofType(template, 'AWS::KMS::Key');
  const [alias] = ofType(template, 'AWS::KMS::Alias');
  const [bucket] = ofType(template, 'AWS::S3::Bucket');
  const [bucketPolicy] = ofType(template, 'AWS::S3::BucketPolicy');
  const bucketProps = bucket?.Properties as Record<string, Record<string, Json>> | undefined;
  // The CloudFormation rule has ServerSideEncryptionByDefault where the S3 API (and
  // policies/bucket-encryption.json) has ApplyServerSideEncryptionByDefault.
  const rules = (bucketProps?.BucketEncryption?.ServerSideEncryptionConfiguration ?? []) as Record<
    string,
    Json
  >[];
  return {
    ...(key
      ? {
          key: {
            policy: unsubstitute(key.Properties.KeyPolicy),
            ...(key.Properties.EnableKeyRotation === true
              ? { rotationDays: key.Properties.RotationPeriodInDays }
              : {}),
            alias: alias?.Properties.AliasName,
            tags: key.Properties.Tags,
          },
        }
      : {}),
    ...(bucketProps
      ? {
          bucket: {
            name: bucketProps.BucketName,
            encryption: unsubstitute({
              Rules: rules.map(({ ServerSideEncryptionByDefault, ...rest }) => ({
                ApplyServerSideEncryptionByDefault: ServerSideEncryptionByDefault,
                ...rest,
              })),
            }),
            publicAccessBlock: bucketProps.PublicAccessBlockConfiguration,
            ownership: bucketProps.OwnershipControls,
          },
        }
      : {}),
    ...(bucketPolicy ? { bucketPolicy: unsubstitute(bucketPolicy.Properties.PolicyDocument) } : {}),
    rolePolicies: ofType(template, 'AWS::IAM::RolePolicy').map((resource) => ({
      roleName: resource.Properties.RoleName,
      policyName: resource.Properties.PolicyName,
      policy: unsubstitute(resource.Properties.PolicyDocument),
    })),
  };
}
