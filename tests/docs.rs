//! The docs name every model parameter, diagnostic code, recovery path and
//! mechanism, so the reference cannot silently fall behind the code.

mod common;

/// The parameters table of docs/recovery-model.md, as the code defines it.
fn parameter_table() -> String {
    use lifeboat::model::params::{Basis, DEFS};
    let mut t = String::from(
        "| name | default | fact/assumption | meaning | source |\n|---|---|---|---|---|\n",
    );
    for d in DEFS {
        let basis = match d.basis {
            Basis::Fact => "fact",
            Basis::Assumption => "assumption",
        };
        t.push_str(&format!(
            "| `{}` | `{}` | {basis} | {} | {} |\n",
            d.name, d.default, d.meaning, d.source
        ));
    }
    t
}

#[test]
fn recovery_model_doc_lists_every_parameter_and_rule() {
    let doc = std::fs::read_to_string(common::root().join("docs/recovery-model.md")).unwrap();
    assert!(
        doc.contains(&parameter_table()),
        "docs/recovery-model.md's parameters table is not the code's: replace it with\n{}",
        parameter_table()
    );
    for code in lifeboat::diag::Code::ALL {
        assert!(
            doc.contains(code.as_str()),
            "docs/recovery-model.md has no rule {}",
            code.as_str()
        );
    }
}

/// The recovery paths' exact names (what `explain` and the JSON `path` field show)
/// and the mechanisms' report names are in docs/recovery-model.md, for every kind.
#[test]
fn recovery_model_doc_names_every_path_and_mechanism() {
    use lifeboat::check::estimate::PathKind;
    use lifeboat::check::mechanisms::{Backup, Mechanisms};
    use lifeboat::model::Dur;
    let doc = std::fs::read_to_string(common::root().join("docs/recovery-model.md")).unwrap();
    for kind in PathKind::ALL {
        assert!(
            doc.contains(&format!("`{}`", kind.name())),
            "docs/recovery-model.md has no recovery path `{}`",
            kind.name()
        );
    }
    let all = Mechanisms {
        backup: Some(Backup {
            frequency: Dur::hours(1),
            continuous: true,
        }),
        cross_region_copy: true,
        read_replica: true,
        backup_replication: true,
        replication: true,
        replication_time_control: false,
        replicate_deletes: true,
        dns_failover: true,
        global_database: true,
        global_table: true,
        pitr: true,
        efs_replication: true,
        isolated_copy: true,
    };
    let rtc = Mechanisms {
        replication_time_control: true,
        ..all
    };
    let mut names = all.names();
    names.extend(rtc.names());
    for name in names {
        // Scheduled backups are documented as `aws-backup-every-<f>`.
        let name = if name.starts_with("aws-backup-every-") {
            "aws-backup-every-<f>".to_owned()
        } else {
            name
        };
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/recovery-model.md has no mechanism `{name}`"
        );
    }
}

#[test]
fn readme_commands_exist() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    for cmd in [
        "check", "explain", "compile", "graph", "report", "drill", "init", "schema",
    ] {
        assert!(
            readme.contains(&format!("lifeboat {cmd}")),
            "README does not show `lifeboat {cmd}`"
        );
    }
}

#[test]
fn readme_topology_image_is_current() {
    let a = common::analyze("examples/webshop");
    let (inv, rec, dep) = a.compiled().unwrap();
    let t = lifeboat::report::topology::build(inv, rec, dep);
    let svg = lifeboat::report::graph::svg(&t);
    let on_disk =
        std::fs::read_to_string(common::root().join("docs/webshop-topology.svg")).unwrap();
    assert!(
        svg == on_disk,
        "docs/webshop-topology.svg is stale: run `cargo run -- graph examples/webshop --format svg -o docs/webshop-topology.svg`"
    );
}

/// GitHub's anchor for a heading: lower case, punctuation other than `-` and `_`
/// dropped, spaces as hyphens; a repeated heading gets `-1`, `-2`, ...
fn anchors(markdown: &str) -> std::collections::HashSet<String> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let mut out = std::collections::HashSet::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let Some(heading) = line.trim_start_matches('#').strip_prefix(' ') else {
            continue;
        };
        if in_code || !line.starts_with('#') {
            continue;
        }
        let slug: String = heading
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let n = seen.entry(slug.clone()).or_default();
        out.insert(if *n == 0 { slug } else { format!("{slug}-{n}") });
        *n += 1;
    }
    out
}

/// Every relative link of the README, ARCHITECTURE.md and docs/ reaches a file, and
/// every `#anchor` into a Markdown page a heading of it.
#[test]
fn relative_links_and_anchors_resolve() {
    let root = common::root();
    let mut pages = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    for e in std::fs::read_dir(root.join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            pages.push(p);
        }
    }
    let mut broken = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        // Links inside code blocks are examples, not links.
        let prose: String = text.split("```").step_by(2).collect::<Vec<_>>().join("\n");
        for (i, _) in prose.match_indices("](") {
            let rest = &prose[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let link = &rest[..end];
            if link.contains("://") || link.starts_with("mailto:") || link.contains(' ') {
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", page.display()));
            } else if !anchor.is_empty()
                && target.extension().is_some_and(|x| x == "md")
                && !anchors(&std::fs::read_to_string(&target).unwrap()).contains(anchor)
            {
                broken.push(format!("{}: {link} (no such heading)", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
