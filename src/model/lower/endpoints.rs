//! DNS endpoints served from both Regions.

use super::names::{check_dns_name, valid_zone_id};
use super::{Cx, at, key};
use crate::diag::{Code, Diagnostic};
use crate::input::{self, Protocol};
use crate::model::{Endpoint, HealthCheck, Target};
use crate::parse::PathSeg;

impl Cx<'_> {
    pub(super) fn endpoint(
        &mut self,
        path: &[PathSeg],
        e: input::EndpointAsset,
    ) -> Option<Endpoint> {
        let p = |k: &[&str]| at(path, k);
        let mut ok = true;
        if !valid_zone_id(&e.zone_id) {
            let span = self.span(&p(&["zone_id"]));
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{}` is not a Route 53 hosted zone id", e.zone_id),
                )
                .label(
                    "expected `Z` then upper-case letters and digits, e.g. `Z0123456789ABCDEFGHIJ`",
                ),
            );
            ok = false;
        }
        if let Err(why) = check_dns_name(&e.domain, true) {
            let span = self.span(&p(&["domain"]));
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{}` is not a valid domain name", e.domain),
                )
                .label(why),
            );
            ok = false;
        }
        let primary = self.target(&p(&["primary"]), &e.primary);
        let secondary = self.target(&p(&["secondary"]), &e.secondary);
        let (Some(primary), Some(secondary)) = (primary, secondary) else {
            return None;
        };
        if primary == secondary {
            let span = self.key_span(&p(&["secondary"]));
            let first = self.key_span(&p(&["primary"]));
            self.diags.push(
                Diagnostic::new(
                    Code::Endpoint,
                    span,
                    "the secondary target is the primary target",
                )
                .label("failover would go nowhere")
                .note(first, "the primary target")
                .hint("point `secondary` at what serves in the secondary Region"),
            );
            ok = false;
        }
        let hc = e.health_check.unwrap_or_default();
        let protocol = hc.protocol.unwrap_or(Protocol::Https);
        let interval = hc.interval.unwrap_or(30);
        if interval != 10 && interval != 30 {
            let span = self.span(&p(&["health_check", "interval"]));
            self.diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!("health check interval {interval} is not supported by Route 53"),
                )
                .label("must be 10 or 30 (seconds)"),
            );
            ok = false;
        }
        if let Some(path_str) = &hc.path {
            if protocol == Protocol::Tcp {
                let span = self.key_span(&p(&["health_check", "path"]));
                self.diags.push(
                    Diagnostic::new(Code::Endpoint, span, "a TCP health check has no path")
                        .hint("remove `path`, or use protocol \"HTTPS\""),
                );
                ok = false;
            } else if !path_str.starts_with('/')
                || path_str.len() > 255
                || path_str.chars().any(char::is_whitespace)
            {
                let span = self.span(&p(&["health_check", "path"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::Endpoint,
                        span,
                        format!("health check path `{path_str}` is not a URL path"),
                    )
                    .label("must start with `/`, no spaces, at most 255 characters"),
                );
                ok = false;
            }
        }
        let port = hc
            .port
            .unwrap_or(if protocol == Protocol::Http { 80 } else { 443 });
        if !ok {
            return None;
        }
        Some(Endpoint {
            zone_id: e.zone_id,
            domain: e.domain,
            primary,
            secondary,
            health_check: HealthCheck {
                protocol,
                port,
                path: hc.path.unwrap_or_else(|| "/".into()),
                interval,
                failure_threshold: hc.failure_threshold.unwrap_or(3),
            },
            ttl: e.ttl.unwrap_or(60),
        })
    }

    pub(super) fn target(&mut self, path: &[PathSeg], t: &input::Target) -> Option<Target> {
        let block_span = self.key_span(path);
        let target = match (&t.hostname, &t.alias_name, &t.alias_zone_id) {
            (Some(h), None, None) => Target::Hostname(h.clone()),
            (None, Some(n), Some(z)) => Target::Alias {
                name: n.clone(),
                zone_id: z.clone(),
            },
            (None, Some(_), None) | (None, None, Some(_)) => {
                self.diags.push(Diagnostic::new(Code::Endpoint, block_span, "an alias target needs both `alias_name` and `alias_zone_id`")
                    .hint("alias_zone_id is the hosted zone of the target, e.g. the load balancer's canonical hosted zone id"));
                return None;
            }
            (None, None, None) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::Endpoint,
                        block_span,
                        "a target needs `hostname`, or `alias_name` and `alias_zone_id`",
                    )
                    .hint("e.g. `hostname = \"app-use1.example.com\"`"),
                );
                return None;
            }
            _ => {
                self.diags.push(
                    Diagnostic::new(
                        Code::Endpoint,
                        block_span,
                        "a target is either a `hostname` or an alias, not both",
                    )
                    .hint("remove `hostname`, or remove `alias_name` and `alias_zone_id`"),
                );
                return None;
            }
        };
        let (name, field) = match &target {
            Target::Hostname(h) => (h, "hostname"),
            Target::Alias { name, .. } => (name, "alias_name"),
        };
        let mut field_path = path.to_vec();
        field_path.push(key(field));
        if let Err(why) = check_dns_name(name, false) {
            let span = self.span(&field_path);
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{name}` is not a valid host name"),
                )
                .label(why),
            );
            return None;
        }
        if let Target::Alias { zone_id, .. } = &target
            && !valid_zone_id(zone_id)
        {
            let mut zp = path.to_vec();
            zp.push(key("alias_zone_id"));
            let span = self.span(&zp);
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{zone_id}` is not a hosted zone id"),
                )
                .label("expected `Z` then upper-case letters and digits, e.g. `Z35SXDOTRQ7X7K`"),
            );
            return None;
        }
        Some(target)
    }
}
