//! The docs name every model parameter and every diagnostic code, so the
//! reference cannot silently fall behind the code.

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
