# Applied last by tests/alerts.tftest.hcl to the state of its apply run: with no
# resources, it releases the mocked ones. Terraform before 1.14 cannot clean up
# resources with prevent_destroy after a test run (hashicorp/terraform#34960).

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}
