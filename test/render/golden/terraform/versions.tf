terraform {
  required_version = ">= 1.5"

  required_providers {
    # rotation_period_in_days on aws_kms_key arrived in 5.49.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.49"
    }
  }
}
