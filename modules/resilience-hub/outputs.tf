output "policy_arns" {
  description = "Resiliency policy ARNs keyed by lifeboat tier name: what `aws resiliencehub create-app --policy-arn` (or update-app) takes."
  value       = { for k, p in aws_resiliencehub_resiliency_policy.this : k => p.arn }
}

# What is deployed, read from the resources (for reviews and the generated `terraform test` suite).

output "policies" {
  description = "Each policy as configured, keyed by tier name: its name, Resilience Hub tier, and RPO and RTO per disruption type as Go durations (region null when the tier has no Region objective)."
  value = {
    for k, p in aws_resiliencehub_resiliency_policy.this : k => {
      name     = p.name
      tier     = p.tier
      software = { rpo = one(one(p.policy).software).rpo, rto = one(one(p.policy).software).rto }
      hardware = { rpo = one(one(p.policy).hardware).rpo, rto = one(one(p.policy).hardware).rto }
      az       = { rpo = one(one(p.policy).az).rpo, rto = one(one(p.policy).az).rto }
      region   = length(one(p.policy).region) == 0 ? null : { rpo = one(one(p.policy).region).rpo, rto = one(one(p.policy).region).rto }
    }
  }
}
