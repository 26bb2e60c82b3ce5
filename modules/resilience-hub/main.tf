# AWS Resilience Hub resiliency policies for lifeboat: one per tier, with the tier's RPO and RTO per
# disruption type, so Resilience Hub's assessment of the deployed application is held to the objectives
# lifeboat checked at compile time. lifeboat's corruption scenario is Resilience Hub's Software
# disruption, its AZ scenario both Hardware and AZ, its Region scenario Region.

locals {
  # Resilience Hub reads RPO and RTO in seconds (rpoInSecs, rtoInSecs); the provider takes Go durations.
  duration = { for k, p in var.policies : k => {
    software = { rpo = "${p.software.rpo_seconds}s", rto = "${p.software.rto_seconds}s" }
    hardware = { rpo = "${p.hardware.rpo_seconds}s", rto = "${p.hardware.rto_seconds}s" }
    az       = { rpo = "${p.az.rpo_seconds}s", rto = "${p.az.rto_seconds}s" }
    region = p.region == null ? null : {
      rpo = p.region.rpo_seconds == null ? null : "${p.region.rpo_seconds}s"
      rto = p.region.rto_seconds == null ? null : "${p.region.rto_seconds}s"
    }
  } }
}

resource "aws_resiliencehub_resiliency_policy" "this" {
  for_each = var.policies

  region      = var.region
  name        = each.value.name
  tier        = each.value.tier
  description = each.value.description

  policy {
    software {
      rpo = local.duration[each.key].software.rpo
      rto = local.duration[each.key].software.rto
    }

    hardware {
      rpo = local.duration[each.key].hardware.rpo
      rto = local.duration[each.key].hardware.rto
    }

    az {
      rpo = local.duration[each.key].az.rpo
      rto = local.duration[each.key].az.rto
    }

    dynamic "region" {
      for_each = local.duration[each.key].region == null ? [] : [local.duration[each.key].region]

      content {
        rpo = region.value.rpo
        rto = region.value.rto
      }
    }
  }

  tags = var.tags
}
