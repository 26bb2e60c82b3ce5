output "role_arn" {
  description = "ARN of the role AWS FIS assumes to run the experiments."
  value       = aws_iam_role.fis.arn
}

output "experiment_template_ids" {
  description = "Experiment template ID per experiment key (what `aws fis start-experiment --experiment-template-id` takes)."
  value       = { for k, t in aws_fis_experiment_template.drill : k => t.id }
}
