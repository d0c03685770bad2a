output "key_arn" {
  description = "The full ARN of the bucket's KMS key; clients send it as SSEKMSKeyId."
  value       = aws_kms_key.this.arn
}

output "key_alias" {
  description = "The alias of the bucket's KMS key."
  value       = aws_kms_alias.this.name
}

output "bucket" {
  description = "The protected bucket."
  value       = aws_s3_bucket.this.id
}
