//! The docs name every model parameter and every diagnostic code, so the
//! reference cannot silently fall behind the code.

mod common;

#[test]
fn recovery_model_doc_lists_every_parameter_and_rule() {
    let doc = std::fs::read_to_string(common::root().join("docs/recovery-model.md")).unwrap();
    for def in lifeboat::model::params::DEFS {
        assert!(
            doc.contains(&format!("`{}`", def.name)),
            "docs/recovery-model.md does not mention `{}`",
            def.name
        );
    }
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
