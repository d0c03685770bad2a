output "bucket" {
  description = "The protected bucket."
  value       = aws_s3_bucket.this.id
}
