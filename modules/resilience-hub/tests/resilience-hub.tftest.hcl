# terraform test suite of the resilience-hub module (offline, against a mocked AWS provider):
# `tf-validate test modules/resilience-hub`. The positive run checks each policy's tier and objectives
# per disruption type; every negative run trips exactly one validation.

mock_provider "aws" {}

variables {
  region = "us-east-1"

  policies = {
    critical = {
      name        = "shop-critical"
      tier        = "Critical"
      description = "lifeboat tier critical"
      software    = { rpo_seconds = 3600, rto_seconds = 28800 }
      hardware    = { rpo_seconds = 900, rto_seconds = 3600 }
      az          = { rpo_seconds = 900, rto_seconds = 3600 }
      region      = { rpo_seconds = 3600, rto_seconds = 14400 }
    }
    non-critical = {
      name        = "shop-non-critical"
      tier        = "NonCritical"
      description = "lifeboat tier non-critical"
      software    = { rpo_seconds = 172800, rto_seconds = 259200 }
      hardware    = { rpo_seconds = 86400, rto_seconds = 259200 }
      az          = { rpo_seconds = 86400, rto_seconds = 259200 }
      region      = null
    }
  }
}

run "one_policy_per_tier" {
  command = apply

  assert {
    condition = (
      output.policies["critical"].tier == "Critical" &&
      output.policies["critical"].software == { rpo = "3600s", rto = "28800s" } &&
      output.policies["critical"].hardware == { rpo = "900s", rto = "3600s" } &&
      output.policies["critical"].az == { rpo = "900s", rto = "3600s" } &&
      output.policies["critical"].region == { rpo = "3600s", rto = "14400s" }
    )
    error_message = "The critical tier's objectives reach its policy per disruption type."
  }

  assert {
    condition     = output.policies["non-critical"].region == null && output.policies["non-critical"].tier == "NonCritical"
    error_message = "A tier without a Region objective has no Region disruption in its policy."
  }

  assert {
    condition     = alltrue([for p in values(aws_resiliencehub_resiliency_policy.this) : p.region == "us-east-1"])
    error_message = "The policies are in the primary Region."
  }
}

run "refuses_an_unknown_tier" {
  command = plan

  variables {
    policies = {
      gold = {
        name        = "shop-gold"
        tier        = "Gold"
        description = ""
        software    = { rpo_seconds = 1, rto_seconds = 1 }
        hardware    = { rpo_seconds = 1, rto_seconds = 1 }
        az          = { rpo_seconds = 1, rto_seconds = 1 }
      }
    }
  }

  expect_failures = [var.policies]
}

run "refuses_a_name_with_dots" {
  command = plan

  variables {
    policies = {
      gold = {
        name        = "shop.gold"
        tier        = "Critical"
        description = ""
        software    = { rpo_seconds = 1, rto_seconds = 1 }
        hardware    = { rpo_seconds = 1, rto_seconds = 1 }
        az          = { rpo_seconds = 1, rto_seconds = 1 }
      }
    }
  }

  expect_failures = [var.policies]
}

run "refuses_fractional_seconds" {
  command = plan

  variables {
    policies = {
      gold = {
        name        = "shop-gold"
        tier        = "Critical"
        description = ""
        software    = { rpo_seconds = 1.5, rto_seconds = 1 }
        hardware    = { rpo_seconds = 1, rto_seconds = 1 }
        az          = { rpo_seconds = 1, rto_seconds = 1 }
      }
    }
  }

  expect_failures = [var.policies]
}

run "a_region_objective_may_have_only_an_rto" {
  command = apply

  variables {
    policies = {
      gold = {
        name        = "shop-gold"
        tier        = "NotApplicable"
        description = ""
        software    = { rpo_seconds = 60, rto_seconds = 60 }
        hardware    = { rpo_seconds = 60, rto_seconds = 60 }
        az          = { rpo_seconds = 60, rto_seconds = 60 }
        region      = { rpo_seconds = null, rto_seconds = 7200 }
      }
    }
  }

  assert {
    condition     = output.policies["gold"].region.rto == "7200s" && output.policies["gold"].region.rpo == null
    error_message = "A Region disruption with an RTO and no RPO keeps only the RTO."
  }
}

run "refuses_an_empty_region_objective" {
  command = plan

  variables {
    policies = {
      gold = {
        name        = "shop-gold"
        tier        = "Critical"
        description = ""
        software    = { rpo_seconds = 1, rto_seconds = 1 }
        hardware    = { rpo_seconds = 1, rto_seconds = 1 }
        az          = { rpo_seconds = 1, rto_seconds = 1 }
        region      = { rpo_seconds = null, rto_seconds = null }
      }
    }
  }

  expect_failures = [var.policies]
}
