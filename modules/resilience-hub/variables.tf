variable "region" {
  type        = string
  description = "AWS Region the resiliency policies are created in (the primary Region: where the application Resilience Hub assesses is registered)."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "The region must be an AWS Region code such as us-east-1."
  }
}

variable "policies" {
  type = map(object({
    name        = string
    tier        = string
    description = string
    software    = object({ rpo_seconds = number, rto_seconds = number })
    hardware    = object({ rpo_seconds = number, rto_seconds = number })
    az          = object({ rpo_seconds = number, rto_seconds = number })
    region      = optional(object({ rpo_seconds = number, rto_seconds = number }))
  }))
  description = <<-EOT
    Resiliency policies keyed by lifeboat tier name. Each becomes an aws_resiliencehub_resiliency_policy:
    - name: 2-60 letters, digits, '_' and '-', starting with a letter or digit (CreateResiliencyPolicy).
    - tier: MissionCritical, Critical, Important, CoreServices, NonCritical or NotApplicable.
    - software, hardware, az: RPO and RTO in whole seconds of the Software, Hardware and AZ disruption types
      (all three are required); region: those of the Region disruption type (either may be null, not both), or
      null for no Region objective.
  EOT

  validation {
    condition     = alltrue([for p in values(var.policies) : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{1,59}$", p.name))])
    error_message = "Each policy name must be 2-60 letters, digits, '_' or '-', starting with a letter or digit."
  }

  validation {
    condition     = length(distinct([for p in values(var.policies) : p.name])) == length(var.policies)
    error_message = "Policy names must be unique."
  }

  validation {
    condition = alltrue([
      for p in values(var.policies) :
      contains(["MissionCritical", "Critical", "Important", "CoreServices", "NonCritical", "NotApplicable"], p.tier)
    ])
    error_message = "Each policy's tier must be MissionCritical, Critical, Important, CoreServices, NonCritical or NotApplicable."
  }

  validation {
    condition = alltrue(flatten([
      for p in values(var.policies) : [
        for o in [p.software, p.hardware, p.az] :
        o != null && o.rpo_seconds != null && o.rto_seconds != null ? (
          o.rpo_seconds >= 0 && o.rto_seconds >= 0 &&
          floor(o.rpo_seconds) == o.rpo_seconds && floor(o.rto_seconds) == o.rto_seconds
        ) : false
      ]
    ]))
    error_message = "The software, hardware and az objectives each need rpo_seconds and rto_seconds as whole numbers >= 0."
  }

  validation {
    condition = alltrue([
      for p in values(var.policies) :
      p.region == null ? true : (
        (p.region.rpo_seconds != null || p.region.rto_seconds != null) &&
        alltrue([for v in [p.region.rpo_seconds, p.region.rto_seconds] : v == null ? true : (v >= 0 && floor(v) == v)])
      )
    ])
    error_message = "A region objective needs rpo_seconds or rto_seconds (or both) as whole numbers >= 0; use region = null for none."
  }

  validation {
    condition     = alltrue([for p in values(var.policies) : length(p.description) <= 500])
    error_message = "A policy description is at most 500 characters."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every policy (on top of the provider's default_tags)."
  default     = {}
}
