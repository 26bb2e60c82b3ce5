output "framework_arn" {
  description = "ARN of the Backup Audit Manager framework."
  value       = aws_backup_framework.this.arn
}

output "framework_name" {
  description = "Name of the framework (for `aws backup describe-framework --framework-name`)."
  value       = aws_backup_framework.this.name
}

output "report_bucket" {
  description = "Name of the bucket the report plans deliver to."
  value       = aws_s3_bucket.reports.id
}

output "report_plan_arns" {
  description = "Report plan ARNs keyed by backup_jobs, restore_jobs and control_compliance."
  value       = { for k, r in aws_backup_report_plan.this : k => r.arn }
}

# What is deployed, read from the resources (for reviews and the generated `terraform test` suite).

output "controls" {
  description = "Every control of the framework as configured: its name, its input parameters (name => value) and its scope (resource types, resource ids, tags)."
  value = [
    for c in aws_backup_framework.this.control : {
      name       = c.name
      parameters = { for p in c.input_parameter : p.name => p.value }
      types      = sort(flatten([for s in c.scope : tolist(coalesce(s.compliance_resource_types, []))]))
      ids        = sort(flatten([for s in c.scope : tolist(coalesce(s.compliance_resource_ids, []))]))
      tags       = merge([for s in c.scope : coalesce(s.tags, {})]...)
    }
  ]
}

output "report_plans" {
  description = "Each report plan as configured, keyed like report_plan_arns: its name, template, bucket, key prefix and formats."
  value = {
    for k, r in aws_backup_report_plan.this : k => {
      name     = r.name
      template = one(r.report_setting[*].report_template)
      bucket   = one(r.report_delivery_channel[*].s3_bucket_name)
      prefix   = one(r.report_delivery_channel[*].s3_key_prefix)
      formats  = sort(tolist(one(r.report_delivery_channel[*].formats)))
    }
  }
}
