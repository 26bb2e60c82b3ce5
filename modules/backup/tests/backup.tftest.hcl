# terraform test suite of the backup module (offline, against a mocked AWS provider):
# `tf-validate test modules/backup`. The positive runs check what the module builds for
# governance and compliance locks, per-plan immutable vaults, continuous + snapshot rules with cross-Region copies,
# cold storage and restore testing; every negative run trips exactly one validation or
# precondition.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/lifeboat-test"
      user_id    = "AIDALIFEBOATTESTUSER"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/shop-aws-backup"
    }
  }
}

# Region-correct ARNs of the vaults and their keys, known at plan time too.

override_resource {
  target          = aws_backup_vault.this["primary"]
  override_during = plan
  values = {
    arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:shop-primary"
    id  = "shop-primary"
  }
}

override_resource {
  target          = aws_backup_vault.this["secondary"]
  override_during = plan
  values = {
    arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:shop-secondary"
    id  = "shop-secondary"
  }
}

override_resource {
  target          = aws_backup_vault.this["immutable-primary"]
  override_during = plan
  values = {
    arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:shop-immutable-primary"
    id  = "shop-immutable-primary"
  }
}

override_resource {
  target          = aws_backup_vault.this["immutable-secondary"]
  override_during = plan
  values = {
    arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:shop-immutable-secondary"
    id  = "shop-immutable-secondary"
  }
}

override_resource {
  target          = aws_kms_key.this["primary"]
  override_during = plan
  values = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-4111-8111-111111111111"
    key_id = "11111111-1111-4111-8111-111111111111"
    id     = "11111111-1111-4111-8111-111111111111"
  }
}

override_resource {
  target          = aws_kms_key.this["secondary"]
  override_during = plan
  values = {
    arn    = "arn:aws:kms:us-west-2:123456789012:key/22222222-2222-4222-8222-222222222222"
    key_id = "22222222-2222-4222-8222-222222222222"
    id     = "22222222-2222-4222-8222-222222222222"
  }
}

# Valid inputs shared by every run (governance lock); each run overrides what it tests.
# gold: continuous + daily snapshot copied to the secondary vault, RDS and S3, restore
# testing. silver: weekly with cold storage and a copy, RDS only, restore testing.
# logs: protects nothing yet (no selection, no restore testing).
variables {
  name                = "shop"
  primary_region      = "us-east-1"
  secondary_region    = "us-west-2"
  lock_mode           = "governance"
  changeable_for_days = null
  primary_lock        = { min_retention_days = 7, max_retention_days = 400 }
  secondary_lock      = { min_retention_days = 30, max_retention_days = 400 }
  alert_topic_arns = {
    primary   = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
    secondary = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
  }
  plans = {
    gold = {
      rules = [
        {
          name                      = "continuous"
          schedule                  = "cron(0 * ? * * *)"
          start_window_minutes      = 60
          completion_window_minutes = 180
          delete_after_days         = 35
          cold_storage_after_days   = null
          continuous                = true
          copy_delete_after_days    = null
        },
        {
          name                      = "daily"
          schedule                  = "cron(0 5 ? * * *)"
          start_window_minutes      = 60
          completion_window_minutes = 1440
          delete_after_days         = 35
          cold_storage_after_days   = null
          continuous                = false
          copy_delete_after_days    = 90
        },
      ]
      rds_instances   = ["orders-prod", "customers-prod"]
      s3_buckets      = ["shop-invoices"]
      restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
    }
    silver = {
      rules = [
        {
          name                      = "weekly"
          schedule                  = "cron(0 3 ? * SUN *)"
          start_window_minutes      = 120
          completion_window_minutes = 1440
          delete_after_days         = 365
          cold_storage_after_days   = 30
          continuous                = false
          copy_delete_after_days    = 365
        },
      ]
      rds_instances   = ["catalog-prod"]
      s3_buckets      = []
      restore_testing = { schedule = "cron(0 6 ? * TUE *)", selection_window_days = 14, validation_window_hours = 2 }
    }
    logs = {
      rules = [
        {
          name                      = "daily"
          schedule                  = "cron(0 2 ? * * *)"
          start_window_minutes      = 60
          completion_window_minutes = 480
          delete_after_days         = 14
          cold_storage_after_days   = null
          continuous                = false
          copy_delete_after_days    = null
        },
      ]
      rds_instances   = []
      s3_buckets      = []
      restore_testing = null
    }
  }
  tags = { Project = "shop" }
}

run "plan" {
  command = plan

  assert {
    condition     = length(aws_backup_plan.secondary) == 0 && length(aws_backup_selection.secondary) == 0 && length(aws_backup_restore_testing_plan.secondary) == 0
    error_message = "No plans in the secondary Region unless secondary_plans asks for them."
  }

  assert {
    condition = (
      aws_backup_vault.this["primary"].region == "us-east-1" && aws_backup_vault.this["primary"].name == "shop-primary" &&
      aws_backup_vault.this["secondary"].region == "us-west-2" && aws_backup_vault.this["secondary"].name == "shop-secondary" &&
      alltrue([for v in aws_backup_vault.this : v.force_destroy == false])
    )
    error_message = "A vault shop-primary in us-east-1 and shop-secondary in us-west-2, never force-destroyed."
  }

  assert {
    condition = (
      aws_kms_key.this["primary"].region == "us-east-1" && aws_kms_key.this["secondary"].region == "us-west-2" &&
      alltrue([for k in aws_kms_key.this : k.enable_key_rotation && k.deletion_window_in_days == 30]) &&
      aws_kms_alias.this["primary"].name == "alias/shop-backup-primary" && aws_kms_alias.this["primary"].region == "us-east-1" &&
      aws_kms_alias.this["secondary"].name == "alias/shop-backup-secondary" && aws_kms_alias.this["secondary"].region == "us-west-2"
    )
    error_message = "Each vault has a rotating key with its alias in the vault's Region."
  }

  assert {
    condition     = aws_backup_vault.this["primary"].kms_key_arn == aws_kms_key.this["primary"].arn && aws_backup_vault.this["secondary"].kms_key_arn == aws_kms_key.this["secondary"].arn
    error_message = "Each vault is encrypted with the key of its own Region."
  }

  assert {
    condition = (
      aws_backup_vault_lock_configuration.this["primary"].region == "us-east-1" &&
      aws_backup_vault_lock_configuration.this["primary"].min_retention_days == 7 &&
      aws_backup_vault_lock_configuration.this["primary"].max_retention_days == 400 &&
      aws_backup_vault_lock_configuration.this["secondary"].region == "us-west-2" &&
      aws_backup_vault_lock_configuration.this["secondary"].min_retention_days == 30 &&
      aws_backup_vault_lock_configuration.this["secondary"].max_retention_days == 400
    )
    error_message = "Each vault is locked with its own retention range, in its Region."
  }

  assert {
    condition     = alltrue([for l in aws_backup_vault_lock_configuration.this : l.changeable_for_days == null])
    error_message = "Governance mode locks have no changeable_for_days (they would become compliance locks)."
  }

  assert {
    condition = (
      aws_backup_vault_notifications.this["primary"].region == "us-east-1" &&
      aws_backup_vault_notifications.this["primary"].sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:shop-alerts" &&
      aws_backup_vault_notifications.this["secondary"].region == "us-west-2" &&
      aws_backup_vault_notifications.this["secondary"].sns_topic_arn == "arn:aws:sns:us-west-2:123456789012:shop-alerts" &&
      alltrue([for n in aws_backup_vault_notifications.this : length(setintersection(n.backup_vault_events, ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED"])) == 3])
    )
    error_message = "Each vault notifies its own Region's topic of backup, copy and restore outcomes."
  }

  assert {
    condition     = toset(keys(aws_backup_plan.this)) == toset(["gold", "silver", "logs"]) && alltrue([for k, p in aws_backup_plan.this : p.region == "us-east-1" && p.name == "shop-${k}"])
    error_message = "One plan shop-<key> per plans entry, in the primary Region."
  }

  assert {
    condition     = toset(keys(aws_backup_selection.this)) == toset(["gold", "silver"])
    error_message = "Only plans that protect something get a selection (not logs)."
  }

  assert {
    condition = (
      aws_backup_selection.this["gold"].resources == toset([
        "arn:aws:rds:us-east-1:123456789012:db:orders-prod",
        "arn:aws:rds:us-east-1:123456789012:db:customers-prod",
        "arn:aws:s3:::shop-invoices",
      ]) &&
      aws_backup_selection.this["silver"].resources == toset(["arn:aws:rds:us-east-1:123456789012:db:catalog-prod"]) &&
      alltrue([for k, s in aws_backup_selection.this : s.region == "us-east-1" && s.name == "shop-${k}"])
    )
    error_message = "The selections name the protected DB instances and buckets by ARN in the primary Region."
  }

  assert {
    condition = toset(values(aws_iam_role_policy_attachment.backup)[*].policy_arn) == toset([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
    ])
    error_message = "A plan protects a bucket, so the role gets the S3 backup and restore policies too."
  }

  assert {
    condition = (
      toset(keys(aws_backup_restore_testing_plan.this)) == toset(["gold", "silver"]) &&
      aws_backup_restore_testing_plan.this["gold"].name == "shop_gold" &&
      aws_backup_restore_testing_plan.this["gold"].schedule_expression == "cron(0 6 ? * MON *)" &&
      aws_backup_restore_testing_plan.this["gold"].recovery_point_selection[0].recovery_point_types == toset(["CONTINUOUS", "SNAPSHOT"]) &&
      aws_backup_restore_testing_plan.this["gold"].recovery_point_selection[0].selection_window_days == 7 &&
      aws_backup_restore_testing_plan.this["silver"].recovery_point_selection[0].recovery_point_types == toset(["SNAPSHOT"]) &&
      aws_backup_restore_testing_plan.this["silver"].recovery_point_selection[0].selection_window_days == 14 &&
      alltrue([for p in aws_backup_restore_testing_plan.this : p.region == "us-east-1" && p.recovery_point_selection[0].include_vaults == toset(["arn:aws:backup:us-east-1:123456789012:backup-vault:shop-primary"])])
    )
    error_message = "Restore testing plans (gold with continuous recovery points, silver snapshots only) restore from the primary vault."
  }

  assert {
    condition = (
      toset(keys(aws_backup_restore_testing_selection.this)) == toset(["gold-rds", "gold-s3", "silver-rds"]) &&
      aws_backup_restore_testing_selection.this["gold-rds"].protected_resource_type == "RDS" &&
      aws_backup_restore_testing_selection.this["gold-rds"].protected_resource_arns == toset(["arn:aws:rds:us-east-1:123456789012:db:orders-prod", "arn:aws:rds:us-east-1:123456789012:db:customers-prod"]) &&
      aws_backup_restore_testing_selection.this["gold-s3"].protected_resource_type == "S3" &&
      aws_backup_restore_testing_selection.this["gold-s3"].protected_resource_arns == toset(["arn:aws:s3:::shop-invoices"]) &&
      aws_backup_restore_testing_selection.this["silver-rds"].validation_window_hours == 2 &&
      aws_backup_restore_testing_selection.this["gold-rds"].validation_window_hours == 4 &&
      alltrue([for k, s in aws_backup_restore_testing_selection.this : s.restore_testing_plan_name == "shop_${split("-", k)[0]}" && s.region == "us-east-1"])
    )
    error_message = "One restore testing selection per plan and resource type, with that plan's ARNs and validation window."
  }

  assert {
    condition = alltrue([
      for v, d in data.aws_iam_policy_document.kms : alltrue([
        for s in d.statement : alltrue([
          for c in s.condition : c.values == tolist(["backup.${aws_backup_vault.this[v].region}.amazonaws.com", "rds.${aws_backup_vault.this[v].region}.amazonaws.com"])
          if c.variable == "kms:ViaService"
        ])
      ])
    ])
    error_message = "Each vault key admits the backup role only through AWS Backup and RDS of the vault's Region."
  }

  assert {
    condition     = { for v, l in output.vault_locks : v => [l.min_retention_days, l.max_retention_days] } == { primary = [7, 400], secondary = [30, 400] } && alltrue([for l in output.vault_locks : l.changeable_for_days == null])
    error_message = "The vault_locks output reports both ranges."
  }
}

# Compliance mode, RDS only, no restore testing.
run "plan_compliance" {
  command = plan

  variables {
    lock_mode           = "compliance"
    changeable_for_days = 3
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 35
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = []
        restore_testing = null
      }
    }
  }

  assert {
    condition     = alltrue([for l in aws_backup_vault_lock_configuration.this : l.changeable_for_days == 3]) && length(aws_backup_vault_lock_configuration.this) == 2
    error_message = "Compliance mode locks both vaults with changeable_for_days = 3."
  }

  assert {
    condition     = toset(keys(aws_iam_role_policy_attachment.backup)) == toset(["backup", "restores"])
    error_message = "Without buckets the role gets no S3 policies."
  }

  assert {
    condition     = length(aws_backup_restore_testing_plan.this) == 0 && length(aws_backup_restore_testing_selection.this) == 0
    error_message = "No restore testing when no plan asks for it."
  }

  assert {
    condition     = toset(keys(aws_backup_plan.this)) == toset(["gold"]) && toset(keys(aws_backup_selection.this)) == toset(["gold"])
    error_message = "One plan, one selection."
  }
}

# Per-plan immutability: gold writes to the compliance-mode pair (and copies to its secondary vault),
# silver and logs stay in the governance-locked pair, and each lock range holds only what is written to
# its own vault.
run "apply_immutable" {
  command   = apply
  state_key = "immutable"

  variables {
    primary_lock   = { min_retention_days = 14, max_retention_days = 400 }
    secondary_lock = { min_retention_days = 365, max_retention_days = 400 }
    immutable_vaults = {
      changeable_for_days = 3
      primary_lock        = { min_retention_days = 30, max_retention_days = 36500 }
      secondary_lock      = { min_retention_days = 90, max_retention_days = 36500 }
    }
    plans = {
      gold = {
        rules = [
          {
            name                      = "continuous"
            schedule                  = "cron(0 * ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 180
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = true
            copy_delete_after_days    = null
          },
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        immutable       = true
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
      silver = {
        rules = [
          {
            name                      = "weekly"
            schedule                  = "cron(0 3 ? * SUN *)"
            start_window_minutes      = 120
            completion_window_minutes = 1440
            delete_after_days         = 365
            cold_storage_after_days   = 30
            continuous                = false
            copy_delete_after_days    = 365
          },
        ]
        rds_instances   = ["catalog-prod"]
        s3_buckets      = []
        restore_testing = { schedule = "cron(0 6 ? * TUE *)", selection_window_days = 14, validation_window_hours = 2 }
      }
      logs = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 2 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 480
            delete_after_days         = 14
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = null
          },
        ]
        rds_instances   = []
        s3_buckets      = []
        restore_testing = null
      }
    }
  }

  assert {
    condition     = toset(keys(aws_backup_vault.this)) == toset(["primary", "secondary", "immutable-primary", "immutable-secondary"]) && aws_backup_vault.this["immutable-primary"].name == "shop-immutable-primary" && aws_backup_vault.this["immutable-secondary"].region == "us-west-2"
    error_message = "immutable_vaults adds the pair shop-immutable-primary (us-east-1) / shop-immutable-secondary (us-west-2)."
  }

  assert {
    condition = (
      aws_backup_vault_lock_configuration.this["immutable-primary"].changeable_for_days == 3 &&
      aws_backup_vault_lock_configuration.this["immutable-secondary"].changeable_for_days == 3 &&
      aws_backup_vault_lock_configuration.this["primary"].changeable_for_days == null &&
      aws_backup_vault_lock_configuration.this["secondary"].changeable_for_days == null
    )
    error_message = "The immutable pair is in compliance mode (changeable_for_days = 3) while the first pair stays in governance mode."
  }

  assert {
    condition = (
      alltrue([for r in aws_backup_plan.this["gold"].rule : r.target_vault_name == "shop-immutable-primary"]) &&
      alltrue([for r in aws_backup_plan.this["silver"].rule : r.target_vault_name == "shop-primary"]) &&
      alltrue([for r in aws_backup_plan.this["logs"].rule : r.target_vault_name == "shop-primary"])
    )
    error_message = "gold writes to the immutable vault; silver and logs to the primary vault."
  }

  assert {
    condition = (
      alltrue(flatten([for r in aws_backup_plan.this["gold"].rule : [for c in r.copy_action : c.destination_vault_arn == aws_backup_vault.this["immutable-secondary"].arn]])) &&
      alltrue(flatten([for r in aws_backup_plan.this["silver"].rule : [for c in r.copy_action : c.destination_vault_arn == aws_backup_vault.this["secondary"].arn]])) &&
      length(flatten([for r in aws_backup_plan.this["gold"].rule : r.copy_action])) == 1
    )
    error_message = "gold copies to the immutable secondary vault, silver to the secondary vault."
  }

  assert {
    condition = (
      aws_backup_restore_testing_plan.this["gold"].recovery_point_selection[0].include_vaults == toset([aws_backup_vault.this["immutable-primary"].arn]) &&
      aws_backup_restore_testing_plan.this["silver"].recovery_point_selection[0].include_vaults == toset([aws_backup_vault.this["primary"].arn])
    )
    error_message = "Restore testing reads each plan's recovery points from the vault the plan writes to."
  }

  assert {
    condition     = output.immutable_vault_arns.secondary == aws_backup_vault.this["immutable-secondary"].arn && output.vault_locks["immutable-primary"].min_retention_days == 30
    error_message = "The outputs name the immutable vaults and their locks."
  }
}

# The secondary Region's twin of an immutable plan writes to the immutable secondary vault and its
# restore testing reads that vault.
run "apply_immutable_secondary" {
  command   = apply
  state_key = "immutable_secondary"

  variables {
    secondary_plans = true
    primary_lock    = { min_retention_days = 14, max_retention_days = 400 }
    secondary_lock  = { min_retention_days = 14, max_retention_days = 400 }
    immutable_vaults = {
      changeable_for_days = 7
      primary_lock        = { min_retention_days = 30, max_retention_days = 36500 }
      secondary_lock      = { min_retention_days = 30, max_retention_days = 36500 }
    }
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = []
        immutable       = true
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  assert {
    condition     = alltrue([for r in aws_backup_plan.secondary["gold"].rule : r.target_vault_name == "shop-immutable-secondary"])
    error_message = "The secondary twin of an immutable plan writes to the immutable secondary vault."
  }

  assert {
    condition     = aws_backup_restore_testing_plan.secondary["gold"].recovery_point_selection[0].include_vaults == toset([aws_backup_vault.this["immutable-secondary"].arn])
    error_message = "Secondary restore testing of an immutable plan reads the immutable secondary vault."
  }

  assert {
    condition     = alltrue([for l in aws_backup_vault_lock_configuration.this : l.changeable_for_days == 7 if startswith(l.backup_vault_name, "shop-immutable-")])
    error_message = "The grace period of the immutable pair is immutable_vaults.changeable_for_days."
  }
}

# Applied against mocks: every reference resolves to the right object.
# The rules are sets with provider-computed attributes, so they are checked once known.
run "apply" {
  command   = apply
  state_key = "apply"

  assert {
    condition     = alltrue(flatten([for p in aws_backup_plan.this : [for r in p.rule : r.target_vault_name == "shop-primary"]]))
    error_message = "Every rule writes to the primary vault."
  }

  assert {
    condition = length(aws_backup_plan.this["gold"].rule) == 2 && alltrue([
      for r in aws_backup_plan.this["gold"].rule : r.enable_continuous_backup && r.lifecycle[0].delete_after == 35 && length(r.copy_action) == 0 && r.start_window == 60 && r.completion_window == 180
      if r.rule_name == "continuous"
    ])
    error_message = "gold: the continuous rule keeps 35 days in the primary vault and is not copied."
  }

  assert {
    condition = length([
      for r in aws_backup_plan.this["gold"].rule : r
      if r.rule_name == "daily" && !r.enable_continuous_backup && r.schedule == "cron(0 5 ? * * *)" && r.lifecycle[0].delete_after == 35 &&
      length(r.copy_action) == 1 && alltrue([for c in r.copy_action : c.destination_vault_arn == "arn:aws:backup:us-west-2:123456789012:backup-vault:shop-secondary" && c.lifecycle[0].delete_after == 90])
    ]) == 1
    error_message = "gold: the daily snapshot rule keeps 35 days and copies to the secondary vault for 90 days."
  }

  assert {
    condition = length([
      for r in aws_backup_plan.this["silver"].rule : r
      if r.rule_name == "weekly" && r.lifecycle[0].cold_storage_after == 30 && r.lifecycle[0].delete_after == 365 && r.start_window == 120 &&
      alltrue([for c in r.copy_action : c.lifecycle[0].delete_after == 365 && c.lifecycle[0].cold_storage_after == null]) && length(r.copy_action) == 1
    ]) == 1
    error_message = "silver: the weekly rule moves to cold storage after 30 days, keeps 365 and copies for 365 (without cold storage)."
  }

  assert {
    condition = alltrue(flatten([
      for k, p in aws_backup_plan.this : [
        for r in p.rule : r.recovery_point_tags["lifeboat:backup-plan"] == "shop-${k}" && r.recovery_point_tags["lifeboat:backup-rule"] == r.rule_name && r.recovery_point_tags["Project"] == "shop"
      ]
    ]))
    error_message = "Recovery points are tagged with their plan and rule, plus the module tags."
  }

  assert {
    condition     = alltrue([for v, l in aws_backup_vault_lock_configuration.this : l.backup_vault_name == aws_backup_vault.this[v].name])
    error_message = "Each lock is on its own vault."
  }

  assert {
    condition     = alltrue([for v, n in aws_backup_vault_notifications.this : n.backup_vault_name == aws_backup_vault.this[v].name])
    error_message = "Each notification configuration is on its own vault."
  }

  assert {
    condition     = alltrue([for v, a in aws_kms_alias.this : a.target_key_id == aws_kms_key.this[v].key_id])
    error_message = "Each alias points at its vault's key."
  }

  assert {
    condition     = alltrue([for k, s in aws_backup_selection.this : s.plan_id == aws_backup_plan.this[k].id && s.iam_role_arn == aws_iam_role.backup.arn])
    error_message = "Each selection belongs to its own plan and uses the backup role."
  }

  assert {
    condition     = alltrue([for k, s in aws_backup_restore_testing_selection.this : s.iam_role_arn == aws_iam_role.backup.arn && s.restore_testing_plan_name == aws_backup_restore_testing_plan.this[split("-", k)[0]].name])
    error_message = "Each restore testing selection belongs to its own restore testing plan and uses the backup role."
  }

  assert {
    condition     = alltrue([for a in aws_iam_role_policy_attachment.backup : a.role == aws_iam_role.backup.name]) && aws_iam_role.backup.name == "shop-aws-backup"
    error_message = "The managed policies are attached to the role shop-aws-backup."
  }

  assert {
    condition = alltrue([
      for d in data.aws_iam_policy_document.kms : alltrue([
        for s in d.statement : tolist(s.principals)[0].identifiers == toset([aws_iam_role.backup.arn])
        if s.sid != "EnableAccountAdministration"
      ])
    ])
    error_message = "The key policies grant key use to the backup role."
  }

  assert {
    condition = anytrue([
      for r in output.plans["gold"].rules : r.name == "daily" && length(r.copies) == 1 && alltrue([for c in r.copies : c.destination_vault_arn == output.secondary_vault_arn && c.delete_after == 90])
    ])
    error_message = "The plans output shows gold's daily copy to the secondary vault, kept 90 days."
  }

  assert {
    condition     = output.plans["logs"].resources == [] && length(output.plans["gold"].resources) == 3
    error_message = "The plans output lists the protected resources of each plan (none for logs)."
  }

  assert {
    condition     = output.primary_vault_arn == aws_backup_vault.this["primary"].arn && output.secondary_kms_key_arn == aws_kms_key.this["secondary"].arn && output.role_arn == aws_iam_role.backup.arn
    error_message = "The outputs name the vaults, keys and role."
  }

  assert {
    condition     = output.restore_testing_plan_names == { gold = "shop_gold", silver = "shop_silver" }
    error_message = "restore_testing_plan_names lists the restore testing plans."
  }
}

# The secondary Region after a failover: a twin of every plan there, selecting by tag, with restore
# testing of the secondary vault. The secondary lock must then hold the rules' own retentions.
run "plan_secondary" {
  command = plan

  variables {
    secondary_plans = true
    secondary_lock  = { min_retention_days = 7, max_retention_days = 400 }
  }

  assert {
    condition = (
      toset(keys(aws_backup_plan.secondary)) == toset(["gold", "silver", "logs"]) &&
      alltrue([for k, p in aws_backup_plan.secondary : p.region == "us-west-2" && p.name == "shop-${k}"])
    )
    error_message = "Every plan has a twin of the same name in the secondary Region."
  }

  assert {
    condition = alltrue(flatten([
      for k, p in aws_backup_plan.secondary : [
        for r in p.rule : r.target_vault_name == "shop-secondary" && length(r.copy_action) == 0 && r.recovery_point_tags["lifeboat:region"] == "secondary"
      ]
    ]))
    error_message = "The secondary plans write to the secondary vault and copy nowhere."
  }

  assert {
    condition = alltrue([
      for k, p in aws_backup_plan.secondary :
      [for r in p.rule : [r.rule_name, r.schedule, r.start_window, r.completion_window, r.enable_continuous_backup, r.lifecycle[0].delete_after]] ==
      [for r in aws_backup_plan.this[k].rule : [r.rule_name, r.schedule, r.start_window, r.completion_window, r.enable_continuous_backup, r.lifecycle[0].delete_after]]
    ])
    error_message = "A secondary plan has its primary plan's rules: names, schedules, windows, continuous and retention."
  }

  assert {
    condition = alltrue([
      for k, s in aws_backup_selection.secondary :
      s.region == "us-west-2" && s.resources == null &&
      one([for t in s.selection_tag : t.type == "STRINGEQUALS" && t.key == "lifeboat:dr-backup-plan" && t.value == k])
    ]) && length(aws_backup_selection.secondary) == 3
    error_message = "Each secondary plan selects the resources tagged lifeboat:dr-backup-plan = <plan key>, not ARNs."
  }

  assert {
    condition = (
      toset(keys(aws_backup_restore_testing_plan.secondary)) == toset(["gold", "silver"]) &&
      alltrue([for k, p in aws_backup_restore_testing_plan.secondary : p.region == "us-west-2" && p.recovery_point_selection[0].include_vaults == toset(["arn:aws:backup:us-west-2:123456789012:backup-vault:shop-secondary"])])
    )
    error_message = "Restore testing in the secondary Region restores from the secondary vault, for the plans that have restore testing."
  }

  assert {
    condition = toset(keys(aws_backup_restore_testing_selection.secondary)) == toset(["gold-rds", "gold-s3", "silver-rds"]) && alltrue([
      for k, s in aws_backup_restore_testing_selection.secondary :
      s.region == "us-west-2" && s.protected_resource_arns == toset(["*"]) &&
      s.protected_resource_conditions[0].string_equals[0].key == "aws:ResourceTag/lifeboat:dr-backup-plan" &&
      s.protected_resource_conditions[0].string_equals[0].value == split("-", k)[0]
    ])
    error_message = "One secondary restore testing selection per resource type, every resource of the type with the plan's tag."
  }
}

# The secondary plans write every rule's retention to the secondary vault: logs keeps 14 days, below
# the secondary lock's minimum of 30.
run "secondary_plans_outside_secondary_lock" {
  command = plan

  variables {
    secondary_plans = true
  }

  expect_failures = [aws_backup_vault_lock_configuration.this["secondary"]]
}

# Isolated copies (ransomware isolation): the rule also copies into the logically air-gapped vault.
# Applied to the apply run's state (a set of copy actions is unknown at plan time while the secondary
# vault's ARN is).
run "apply_isolated" {
  command   = apply
  state_key = "apply"

  variables {
    isolated_vault_arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:shop-isolated"
    plans = {
      gold = {
        rules = [
          {
            name                            = "daily"
            schedule                        = "cron(0 5 ? * * *)"
            start_window_minutes            = 60
            completion_window_minutes       = 1440
            delete_after_days               = 35
            cold_storage_after_days         = null
            continuous                      = false
            copy_delete_after_days          = 90
            isolated_copy_delete_after_days = 35
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = []
        restore_testing = null
      }
    }
  }

  assert {
    condition = length([
      for r in aws_backup_plan.this["gold"].rule : r
      if r.rule_name == "daily" && length(r.copy_action) == 2 &&
      [for c in r.copy_action : c.destination_vault_arn if c.lifecycle[0].delete_after == 35] == ["arn:aws:backup:us-east-1:123456789012:backup-vault:shop-isolated"] &&
      length([for c in r.copy_action : c if c.lifecycle[0].delete_after == 90]) == 1
    ]) == 1
    error_message = "gold: the daily rule copies to the secondary vault (90 days) and to the isolated vault (35 days)."
  }
}

# An immutable plan with an isolated copy: it writes to and copies within the compliance-mode pair,
# and its isolated copy still goes to the logically air-gapped vault.
run "apply_immutable_isolated" {
  command   = apply
  state_key = "immutable_isolated"

  variables {
    isolated_vault_arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:shop-isolated"
    immutable_vaults = {
      changeable_for_days = 3
      primary_lock        = { min_retention_days = 30, max_retention_days = 36500 }
      secondary_lock      = { min_retention_days = 30, max_retention_days = 36500 }
    }
    plans = {
      gold = {
        rules = [
          {
            name                            = "daily"
            schedule                        = "cron(0 5 ? * * *)"
            start_window_minutes            = 60
            completion_window_minutes       = 1440
            delete_after_days               = 35
            cold_storage_after_days         = null
            continuous                      = false
            copy_delete_after_days          = 90
            isolated_copy_delete_after_days = 35
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = []
        immutable       = true
        restore_testing = null
      }
    }
  }

  assert {
    condition = length([
      for r in aws_backup_plan.this["gold"].rule : r
      if r.rule_name == "daily" && r.target_vault_name == "shop-immutable-primary" && length(r.copy_action) == 2 &&
      [for c in r.copy_action : c.destination_vault_arn if c.lifecycle[0].delete_after == 35] == ["arn:aws:backup:us-east-1:123456789012:backup-vault:shop-isolated"] &&
      [for c in r.copy_action : c.destination_vault_arn if c.lifecycle[0].delete_after == 90] == [aws_backup_vault.this["immutable-secondary"].arn]
    ]) == 1
    error_message = "gold (immutable): writes to shop-immutable-primary, copies to the immutable secondary vault (90 days) and to the isolated vault (35 days)."
  }
}

# var.plans: an isolated copy kept less than the air-gapped vault's 7-day minimum.
run "isolated_copy_too_short" {
  command = plan

  variables {
    isolated_vault_arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:shop-isolated"
    plans = {
      gold = {
        rules = [
          {
            name                            = "daily"
            schedule                        = "cron(0 5 ? * * *)"
            start_window_minutes            = 60
            completion_window_minutes       = 1440
            delete_after_days               = 35
            cold_storage_after_days         = null
            continuous                      = false
            copy_delete_after_days          = 90
            isolated_copy_delete_after_days = 3
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = []
        restore_testing = null
      }
    }
  }

  expect_failures = [var.plans]
}

# aws_backup_plan precondition: an isolated copy without a vault to copy to.
run "isolated_copy_without_vault" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                            = "daily"
            schedule                        = "cron(0 5 ? * * *)"
            start_window_minutes            = 60
            completion_window_minutes       = 1440
            delete_after_days               = 35
            cold_storage_after_days         = null
            continuous                      = false
            copy_delete_after_days          = 90
            isolated_copy_delete_after_days = 35
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = []
        restore_testing = null
      }
    }
  }

  expect_failures = [aws_backup_plan.this["gold"]]
}

# var.isolated_vault_arn: not a backup vault ARN.
run "isolated_vault_arn_invalid" {
  command = plan

  variables {
    isolated_vault_arn = "arn:aws:s3:::shop-isolated"
  }

  expect_failures = [var.isolated_vault_arn]
}

# Releases the applied mocks (see tests/release/main.tf).
run "release" {
  command   = apply
  state_key = "apply"

  module {
    source = "./tests/release"
  }
}

run "release_immutable" {
  command   = apply
  state_key = "immutable"

  module {
    source = "./tests/release"
  }
}

run "release_immutable_secondary" {
  command   = apply
  state_key = "immutable_secondary"

  module {
    source = "./tests/release"
  }
}

run "release_immutable_isolated" {
  command   = apply
  state_key = "immutable_isolated"

  module {
    source = "./tests/release"
  }
}

################################################################################
# Negative runs: one per validation block or precondition, each with otherwise
# valid inputs.
################################################################################

# var.name: uppercase letters.
run "name_invalid" {
  command = plan

  variables {
    name = "Shop"
  }

  expect_failures = [var.name]
}

# var.primary_region: not a Region code.
run "primary_region_invalid" {
  command = plan

  variables {
    primary_region = "us-east"
  }

  expect_failures = [var.primary_region]
}

# var.secondary_region: not a Region code.
run "secondary_region_invalid" {
  command = plan

  variables {
    secondary_region = "uswest2"
  }

  expect_failures = [var.secondary_region]
}

# var.lock_mode: neither governance nor compliance.
run "lock_mode_invalid" {
  command = plan

  variables {
    lock_mode = "legal-hold"
  }

  expect_failures = [var.lock_mode]
}

# var.changeable_for_days: below AWS's 72-hour cooling-off period.
run "changeable_for_days_too_short" {
  command = plan

  variables {
    lock_mode           = "compliance"
    changeable_for_days = 2
  }

  expect_failures = [var.changeable_for_days]
}

# var.primary_lock: max_retention_days above 36500 (every retention still inside the range).
run "primary_lock_invalid" {
  command = plan

  variables {
    primary_lock = { min_retention_days = 7, max_retention_days = 36501 }
  }

  expect_failures = [var.primary_lock]
}

# var.secondary_lock: min_retention_days below 1 (every copy retention still inside the range).
run "secondary_lock_invalid" {
  command = plan

  variables {
    secondary_lock = { min_retention_days = 0, max_retention_days = 400 }
  }

  expect_failures = [var.secondary_lock]
}

# var.alert_topic_arns: a FIFO topic (AWS Backup does not support them).
run "alert_topic_fifo" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:shop-alerts.fifo"
      secondary = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
    }
  }

  expect_failures = [var.alert_topic_arns]
}

# var.plans: a plan key with an uppercase letter.
run "plans_key_invalid" {
  command = plan

  variables {
    plans = {
      Gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: two rules with the same name.
run "plans_rule_names_duplicate" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
          {
            name                      = "daily"
            schedule                  = "cron(0 17 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: a rate() schedule instead of cron().
run "plans_schedule_invalid" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "rate(1 day)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: completion window less than 60 minutes longer than the start window.
run "plans_completion_window_too_short" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 90
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: delete_after_days not a whole number (inside the lock range).
run "plans_delete_after_not_whole" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35.5
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: a continuous rule with cold storage (cold storage otherwise valid).
run "plans_continuous_with_cold_storage" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "continuous"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 91
            cold_storage_after_days   = 1
            continuous                = true
            copy_delete_after_days    = null
          },
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: a continuous rule kept longer than 35 days.
run "plans_continuous_retention_over_35" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "continuous"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 36
            cold_storage_after_days   = null
            continuous                = true
            copy_delete_after_days    = null
          },
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: fewer than 90 days in cold storage.
run "plans_cold_storage_too_short" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 100
            cold_storage_after_days   = 30
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: copy_delete_after_days not a whole number (inside the lock range).
run "plans_copy_retention_not_whole" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90.5
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: a DB instance identifier with an underscore.
run "plans_rds_identifier_invalid" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders_prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: one bucket in two plans with continuous rules.
run "plans_bucket_continuous_in_two_plans" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "continuous"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = true
            copy_delete_after_days    = null
          },
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
      silver = {
        rules = [
          {
            name                      = "continuous"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = true
            copy_delete_after_days    = null
          },
        ]
        rds_instances   = []
        s3_buckets      = ["shop-invoices"]
        restore_testing = null
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: restore testing with a zero-day selection window.
run "plans_restore_testing_window_invalid" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 0, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: restore testing for a plan of 31 DB instances (a selection takes at most 30 ARNs).
run "plans_restore_testing_over_30_resources" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = [for i in range(31) : "orders-${i}"]
        s3_buckets      = []
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# var.plans: restore testing for a plan that protects nothing.
run "plans_restore_testing_nothing_protected" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = []
        s3_buckets      = []
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [var.plans]
}

# Precondition: the secondary vault in the primary Region.
run "same_regions" {
  command = plan

  variables {
    secondary_region = "us-east-1"
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
      secondary = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
    }
  }

  expect_failures = [aws_backup_vault.this]
}

# Precondition: compliance mode needs changeable_for_days.
run "compliance_without_changeable_for_days" {
  command = plan

  variables {
    lock_mode           = "compliance"
    changeable_for_days = null
  }

  expect_failures = [aws_backup_vault_lock_configuration.this]
}

# Precondition: governance mode must not set changeable_for_days (it would make a compliance lock).
run "governance_with_changeable_for_days" {
  command = plan

  variables {
    lock_mode           = "governance"
    changeable_for_days = 3
  }

  expect_failures = [aws_backup_vault_lock_configuration.this]
}

# Precondition: the primary lock range excludes gold's 35-day retention.
run "lock_range_excludes_rule_retention" {
  command = plan

  variables {
    primary_lock = { min_retention_days = 7, max_retention_days = 30 }
  }

  expect_failures = [aws_backup_vault_lock_configuration.this]
}

# Precondition: the secondary lock range excludes gold's 90-day copy retention.
run "lock_range_excludes_copy_retention" {
  command = plan

  variables {
    secondary_lock = { min_retention_days = 100, max_retention_days = 400 }
  }

  expect_failures = [aws_backup_vault_lock_configuration.this]
}

# Precondition: the primary vault's topic is in the secondary Region.
run "topic_in_other_region" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
      secondary = "arn:aws:sns:us-west-2:123456789012:shop-alerts"
    }
  }

  expect_failures = [aws_backup_vault_notifications.this]
}

# Precondition: the secondary vault's topic is in another account.
run "topic_in_other_account" {
  command = plan

  variables {
    alert_topic_arns = {
      primary   = "arn:aws:sns:us-east-1:123456789012:shop-alerts"
      secondary = "arn:aws:sns:us-west-2:210987654321:shop-alerts"
    }
  }

  expect_failures = [aws_backup_vault_notifications.this]
}

# Precondition: the plan name shop-<key> exceeds 50 characters (no restore testing).
run "plan_name_too_long" {
  command = plan

  variables {
    plans = {
      "gold-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = null
      }
    }
  }

  expect_failures = [aws_backup_plan.this]
}

# Precondition: the restore testing plan name exceeds 50 characters. Its name has the plan name's length and only characters of it, so the plan's own check fails with it.
run "restore_testing_name_too_long" {
  command = plan

  variables {
    plans = {
      "gold-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 90
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = ["shop-invoices"]
        restore_testing = { schedule = "cron(0 6 ? * MON *)", selection_window_days = 7, validation_window_hours = 4 }
      }
    }
  }

  expect_failures = [aws_backup_plan.this, aws_backup_restore_testing_plan.this]
}

# lifeboat's project names can be a single letter (`project "p"`): the module accepts them.
run "accepts_a_one_letter_name" {
  command = plan

  variables {
    name = "p"
  }
}

# Precondition: a plan sets immutable = true without the immutable vaults.
run "immutable_plan_without_immutable_vaults" {
  command = plan

  variables {
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = null
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = []
        immutable       = true
        restore_testing = null
      }
    }
  }

  expect_failures = [aws_backup_plan.this]
}

# Validation: the immutable vaults' grace period is shorter than AWS's 3 days.
run "immutable_vaults_grace_too_short" {
  command = plan

  variables {
    immutable_vaults = {
      changeable_for_days = 2
      primary_lock        = { min_retention_days = 30, max_retention_days = 36500 }
      secondary_lock      = { min_retention_days = 30, max_retention_days = 36500 }
    }
  }

  expect_failures = [var.immutable_vaults]
}

# Precondition: the immutable primary lock range excludes gold's 35-day retention.
run "immutable_lock_range_excludes_rule_retention" {
  command = plan

  variables {
    immutable_vaults = {
      changeable_for_days = 3
      primary_lock        = { min_retention_days = 60, max_retention_days = 36500 }
      secondary_lock      = { min_retention_days = 30, max_retention_days = 36500 }
    }
    plans = {
      gold = {
        rules = [
          {
            name                      = "daily"
            schedule                  = "cron(0 5 ? * * *)"
            start_window_minutes      = 60
            completion_window_minutes = 1440
            delete_after_days         = 35
            cold_storage_after_days   = null
            continuous                = false
            copy_delete_after_days    = 35
          },
        ]
        rds_instances   = ["orders-prod"]
        s3_buckets      = []
        immutable       = true
        restore_testing = null
      }
    }
  }

  expect_failures = [aws_backup_vault_lock_configuration.this]
}
