# An empty configuration with only the provider requirement. The test suite applies it last,
# to the state of the apply run, so that Terraform 1.11 can release resources that carry
# prevent_destroy (hashicorp/terraform#34960): nothing is destroyed on AWS, the runs are mocked.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}
