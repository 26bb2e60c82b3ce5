# The execution role: Region switch assumes it to evaluate and run the plan and, with a
# trigger, to read the trigger's alarms and start the execution. It can act only on the
# replicas, clusters and alarms of this plan.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["arc-region-switch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = var.execution_role_name
  description        = "ARC Region switch plan ${var.name}: promotes the read replicas and fails the Global Databases over."
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "execution" {
  # The plan itself (ARC's AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy,
  # scoped to this plan and role).
  statement {
    sid       = "ThePlan"
    actions   = ["arc-region-switch:GetPlan", "arc-region-switch:GetPlanExecution", "arc-region-switch:ListPlanExecutions"]
    resources = [aws_arcregionswitch_plan.this.arn]
  }

  statement {
    sid       = "PlanEvaluation"
    actions   = ["iam:SimulatePrincipalPolicy"]
    resources = [aws_iam_role.execution.arn]
  }

  dynamic "statement" {
    for_each = length(var.trigger_alarm_names) > 0 ? [1] : []
    content {
      sid       = "Trigger"
      actions   = ["arc-region-switch:StartPlanExecution"]
      resources = [aws_arcregionswitch_plan.this.arn]
    }
  }

  dynamic "statement" {
    for_each = length(local.trigger_alarms) + length(local.health_alarms) > 0 ? [1] : []
    content {
      sid       = "Alarms"
      actions   = ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"]
      resources = concat(values(local.trigger_alarms), values(local.health_alarms))
    }
  }

  # Amazon RDS execution block: describe both instances, promote the replica.
  dynamic "statement" {
    for_each = length(local.rds_steps) > 0 ? [1] : []
    content {
      sid       = "DescribeInstances"
      actions   = ["rds:DescribeDBInstances"]
      resources = flatten([for m in values(local.instances) : values(m)])
    }
  }

  dynamic "statement" {
    for_each = length(local.rds_steps) > 0 ? [1] : []
    content {
      sid       = "PromoteReplicas"
      actions   = ["rds:PromoteReadReplica", "rds:ModifyDBInstance"]
      resources = [for s in local.rds_steps : local.instances[s.name][var.secondary_region]]
    }
  }

  # Aurora Global Database execution block.
  dynamic "statement" {
    for_each = length(local.aurora_steps) > 0 ? [1] : []
    content {
      sid     = "DescribeGlobalDatabases"
      actions = ["rds:DescribeGlobalClusters", "rds:DescribeDBClusters"]
      resources = concat(
        [for s in local.aurora_steps : "arn:${local.partition}:rds::${local.account}:global-cluster:${s.global_cluster}"],
        flatten(values(local.clusters)),
      )
    }
  }

  dynamic "statement" {
    for_each = length(local.aurora_steps) > 0 ? [1] : []
    content {
      sid     = "FailOverGlobalDatabases"
      actions = ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"]
      resources = concat(
        [for s in local.aurora_steps : "arn:${local.partition}:rds::${local.account}:global-cluster:${s.global_cluster}"],
        flatten(values(local.clusters)),
      )
    }
  }

  # Route 53 health check execution block: read the failover records of the zones
  # (ARC's Route 53 health check execution block sample policy).
  dynamic "statement" {
    for_each = length(local.route53_steps) > 0 ? [1] : []
    content {
      sid       = "ReadFailoverRecords"
      actions   = ["route53:ListResourceRecordSets"]
      resources = [for z in local.hosted_zones : "arn:${local.partition}:route53:::hostedzone/${z}"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "region-switch-plan"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# The approval role (with an approval step): people of this account who may assume it
# approve or decline the plan's approval step, and nothing else.

data "aws_iam_policy_document" "approval_assume" {
  count = local.approval ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }
}

resource "aws_iam_role" "approval" {
  count = local.approval ? 1 : 0

  name               = var.approval_role_name
  description        = "Approves the approval step of the ARC Region switch plan ${var.name}."
  assume_role_policy = data.aws_iam_policy_document.approval_assume[0].json
  tags               = var.tags
}

data "aws_iam_policy_document" "approval" {
  count = local.approval ? 1 : 0

  statement {
    actions   = ["arc-region-switch:ApprovePlanExecutionStep", "arc-region-switch:GetPlanExecution", "arc-region-switch:ListPlanExecutions"]
    resources = [aws_arcregionswitch_plan.this.arn]
  }
}

resource "aws_iam_role_policy" "approval" {
  count = local.approval ? 1 : 0

  name   = "approve-region-switch"
  role   = aws_iam_role.approval[0].id
  policy = data.aws_iam_policy_document.approval[0].json
}
