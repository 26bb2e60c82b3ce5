# A logically air-gapped AWS Backup vault for ransomware isolation: AWS Backup stores its recovery points in
# an AWS-owned account, locks the vault in compliance mode when it is created and encrypts it with an
# AWS owned key, so an administrator of this account can neither delete the copies nor destroy the key
# that encrypts them (AWS Backup Developer Guide, logicallyairgappedvault). The backup module's rules copy
# into it (`isolated_vault_arn`). Optionally the vault is shared through AWS RAM with a recovery account,
# which restores from it when this account is compromised.

resource "aws_backup_logically_air_gapped_vault" "this" {
  region             = var.region
  name               = var.name
  min_retention_days = var.min_retention_days
  max_retention_days = var.max_retention_days

  tags = var.tags

  lifecycle {
    prevent_destroy = true
  }
}

# The share that lets the recovery account restore (and run restore testing) from the vault. AWS RAM
# shares a logically air-gapped vault with accounts in other organizations too, hence external principals.
resource "aws_ram_resource_share" "this" {
  count = var.recovery_account_id == null ? 0 : 1

  region                    = var.region
  name                      = "${var.name}-vault"
  allow_external_principals = true

  tags = var.tags
}

resource "aws_ram_resource_association" "this" {
  count = var.recovery_account_id == null ? 0 : 1

  region             = var.region
  resource_arn       = aws_backup_logically_air_gapped_vault.this.arn
  resource_share_arn = aws_ram_resource_share.this[0].arn
}

resource "aws_ram_principal_association" "this" {
  count = var.recovery_account_id == null ? 0 : 1

  region             = var.region
  principal          = var.recovery_account_id
  resource_share_arn = aws_ram_resource_share.this[0].arn
}
