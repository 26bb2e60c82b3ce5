# aws_arcregionswitch_plan and the execution blocks used here are in the AWS provider
# from 6.66 on (the version this module is validated against).

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.66"
    }
  }
}
