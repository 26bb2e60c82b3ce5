# The role AWS FIS assumes to run the experiments: only the actions of the templates
# this module creates, on their targets (AWS FIS User Guide, Actions reference: the
# permissions each action needs).
data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "AllowFisExperimentsOfThisAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["fis.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:fis:${var.region}:${local.account_id}:experiment/*"]
    }
  }
}

resource "aws_iam_role" "fis" {
  name                 = "${var.name}-fis-drills"
  description          = "Assumed by AWS FIS to run the DR drills lifeboat generates"
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  max_session_duration = 3600

  tags = var.tags
}

data "aws_iam_policy_document" "fis" {
  # Resolving targets by ARN still goes through the Resource Groups Tagging API.
  statement {
    sid       = "ResolveTargets"
    effect    = "Allow"
    actions   = ["tag:GetResources"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(local.targets_of["rds-reboot-failover"]) > 0 ? [1] : []
    content {
      sid       = "RebootWithFailover"
      effect    = "Allow"
      actions   = ["rds:RebootDBInstance", "rds:DescribeDBInstances"]
      resources = local.targets_of["rds-reboot-failover"]
    }
  }

  dynamic "statement" {
    for_each = length(local.targets_of["aurora-failover"]) > 0 ? [1] : []
    content {
      sid       = "FailoverAuroraClusters"
      effect    = "Allow"
      actions   = ["rds:FailoverDBCluster", "rds:DescribeDBClusters"]
      resources = local.targets_of["aurora-failover"]
    }
  }

  dynamic "statement" {
    for_each = length(local.targets_of["s3-pause-replication"]) > 0 ? [1] : []
    content {
      sid       = "PauseS3Replication"
      effect    = "Allow"
      actions   = ["s3:GetReplicationConfiguration", "s3:PutReplicationConfiguration", "s3:PauseReplication"]
      resources = local.targets_of["s3-pause-replication"]
    }
  }

  dynamic "statement" {
    for_each = length(local.targets_of["s3-pause-replication"]) > 0 ? [1] : []
    content {
      sid       = "FindBuckets"
      effect    = "Allow"
      actions   = ["s3:ListAllMyBuckets"]
      resources = ["*"]
    }
  }

  # The pause attaches, then removes, a resource policy that denies replication on the
  # table and its replicas, so the replicas' ARNs (in the secondary Region) are included.
  dynamic "statement" {
    for_each = length(local.targets_of["dynamodb-pause-replication"]) > 0 ? [1] : []
    content {
      sid     = "PauseGlobalTableReplication"
      effect  = "Allow"
      actions = ["dynamodb:DescribeTable", "dynamodb:GetResourcePolicy", "dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy", "dynamodb:InjectError"]
      resources = flatten([
        for arn in local.targets_of["dynamodb-pause-replication"] : [arn, replace(arn, ":${var.region}:", ":${var.secondary_region}:")]
      ])
    }
  }
}

resource "aws_iam_role_policy" "fis" {
  name   = "fis-drills"
  role   = aws_iam_role.fis.id
  policy = data.aws_iam_policy_document.fis.json
}
