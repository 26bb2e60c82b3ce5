# The role AWS Backup assumes to run backup, copy, restore and restore-testing jobs.

locals {
  protects_s3 = anytrue([for p in values(var.plans) : length(p.s3_buckets) > 0])

  # AWS managed policies. The general ones live under service-role/, the S3 ones do not; the S3 ones are
  # attached only when some plan protects a bucket.
  managed_policies = {
    backup     = { s3 = false, arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" }
    restores   = { s3 = false, arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores" }
    s3_backup  = { s3 = true, arn = "arn:${local.partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup" }
    s3_restore = { s3 = true, arn = "arn:${local.partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore" }
  }

  role_policy_arns = { for k, v in local.managed_policies : k => v.arn if local.protects_s3 || !v.s3 }
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "AWSBackupAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name                 = "${var.name}-aws-backup"
  description          = "Assumed by AWS Backup for the backup, copy, restore and restore-testing jobs of ${var.name}."
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  max_session_duration = 3600

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each = local.role_policy_arns

  role       = aws_iam_role.backup.name
  policy_arn = each.value
}
