# terraform test suite of the isolated-vault module (offline, against a mocked AWS provider):
# `tf-validate test modules/isolated-vault`. The positive runs check the vault's retention range and the
# AWS RAM share with and without a recovery account; every negative run trips exactly one validation.

mock_provider "aws" {
  mock_resource "aws_backup_logically_air_gapped_vault" {
    defaults = {
      arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:shop-lifeboat-isolated"
    }
  }

  mock_resource "aws_ram_resource_share" {
    defaults = {
      arn = "arn:aws:ram:us-east-1:123456789012:resource-share/11111111-1111-4111-8111-111111111111"
    }
  }
}

variables {
  name               = "shop-lifeboat-isolated"
  region             = "us-east-1"
  min_retention_days = 7
  max_retention_days = 36500
}

run "shared_with_the_recovery_account" {
  command   = apply
  state_key = "apply"

  variables {
    recovery_account_id = "210987654321"
  }

  assert {
    condition     = output.name == "shop-lifeboat-isolated" && aws_backup_logically_air_gapped_vault.this.region == "us-east-1"
    error_message = "The vault has the given name, in the given Region."
  }

  assert {
    condition     = output.retention == { min_retention_days = 7, max_retention_days = 36500 }
    error_message = "The vault's retention range is the given one."
  }

  assert {
    condition     = output.share.principal == "210987654321" && output.share.resource == output.arn
    error_message = "The vault is shared with the recovery account through AWS RAM."
  }

  assert {
    condition     = aws_ram_resource_share.this[0].allow_external_principals == true
    error_message = "The share admits accounts outside the organization (a recovery account may be in another one)."
  }
}

# The same state without the recovery account: the share goes, the vault stays.
run "not_shared_without_a_recovery_account" {
  command   = apply
  state_key = "apply"

  assert {
    condition     = output.share == null && length(aws_ram_resource_share.this) == 0 && length(aws_ram_principal_association.this) == 0
    error_message = "Without recovery_account_id nothing is shared."
  }
}

# Releases the applied mocks (see tests/release/main.tf.json).
run "release" {
  command   = apply
  state_key = "apply"

  module {
    source = "./tests/release"
  }
}

run "minimum_below_seven_days" {
  command = plan

  variables {
    min_retention_days = 3
  }

  expect_failures = [var.min_retention_days]
}

run "maximum_below_minimum" {
  command = plan

  variables {
    min_retention_days = 30
    max_retention_days = 14
  }

  expect_failures = [var.max_retention_days]
}

run "bad_account_id" {
  command = plan

  variables {
    recovery_account_id = "12345"
  }

  expect_failures = [var.recovery_account_id]
}

run "bad_name" {
  command = plan

  variables {
    name = "x"
  }

  expect_failures = [var.name]
}
