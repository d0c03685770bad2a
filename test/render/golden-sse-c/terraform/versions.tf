terraform {
  required_version = ">= 1.5"

  required_providers {
    # rotation_period_in_days on aws_kms_key arrived in 5.49; blocked_encryption_types on the
    # encryption rule in 6.22, and only from 6.40 is it Optional+Computed, so earlier versions
    # show a perpetual diff once S3 reports the bucket's own SSE-C setting.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.40"
    }
  }
}
