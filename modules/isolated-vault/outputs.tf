output "arn" {
  description = "ARN of the logically air-gapped vault: the destination of the backup module's isolated copies."
  value       = aws_backup_logically_air_gapped_vault.this.arn
}

output "name" {
  description = "Name of the logically air-gapped vault."
  value       = aws_backup_logically_air_gapped_vault.this.name
}

output "retention" {
  description = "The vault's retention range in days, as configured."
  value = {
    min_retention_days = aws_backup_logically_air_gapped_vault.this.min_retention_days
    max_retention_days = aws_backup_logically_air_gapped_vault.this.max_retention_days
  }
}

output "share" {
  description = "The AWS RAM share of the vault (null when recovery_account_id is null): its ARN and the account it is shared with."
  value = var.recovery_account_id == null ? null : {
    arn       = aws_ram_resource_share.this[0].arn
    principal = aws_ram_principal_association.this[0].principal
    resource  = aws_ram_resource_association.this[0].resource_arn
  }
}
