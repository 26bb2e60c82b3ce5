//! `lifeboat compile` never clobbers: foreign files, hand edits, symbolic links,
//! `--check`, the data-loss guard, and failed compiles, end to end through the
//! built binary in temporary folders.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lifeboat(args: &[&str]) -> Output {
    Command::new(get_cargo_bin("lifeboat"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("lifeboat runs")
}

/// `lifeboat compile <input> -o <out> <extra...>`.
fn compile(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "compile",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    lifeboat(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "expected exit {code}; stderr:\n{}",
        stderr(o)
    );
}

/// What is in a folder, byte for byte, without following symbolic links.
#[derive(PartialEq, Eq)]
enum Entry {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Entry::Dir => write!(f, "dir"),
            Entry::Link(t) => write!(f, "link to {}", t.display()),
            Entry::File(b) => {
                let text = String::from_utf8_lossy(b);
                let first = text.lines().next().unwrap_or_default();
                write!(f, "{} bytes, first line {first:?}", b.len())
            }
        }
    }
}

type Snapshot = BTreeMap<PathBuf, Entry>;

/// Two snapshots are the same; the message lists what differs.
#[track_caller]
fn assert_same(after: &Snapshot, before: &Snapshot, what: &str) {
    if after == before {
        return;
    }
    let mut diff = String::new();
    for (p, e) in before {
        match after.get(p) {
            None => diff.push_str(&format!("\n  removed {}: {e:?}", p.display())),
            Some(a) if a != e => {
                diff.push_str(&format!("\n  changed {}: {e:?} -> {a:?}", p.display()))
            }
            _ => {}
        }
    }
    for (p, a) in after {
        if !before.contains_key(p) {
            diff.push_str(&format!("\n  added {}: {a:?}", p.display()));
        }
    }
    panic!("{what}:{diff}");
}

fn snapshot(dir: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return out;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().to_path_buf();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                out.insert(rel, Entry::Link(std::fs::read_link(&path).unwrap()));
            } else if meta.is_dir() {
                out.insert(rel, Entry::Dir);
                stack.push(path);
            } else {
                out.insert(rel, Entry::File(std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Replace `from` by `to` in a file, which must contain it.
fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Change the inventory in a way that changes generated files but renames no
/// resource that holds data (renaming the project would: the data-loss guard
/// refuses that): a project tag that grows by one character per call.
fn change_inventory(input: &Path) {
    let file = input.join("lifeboat.hcl");
    let text = read(&file);
    let text = match text.find("  tags = { changed = \"") {
        Some(at) => {
            let end = at + "  tags = { changed = \"".len();
            format!("{}x{}", &text[..end], &text[end..])
        }
        None => {
            let start = text.find("project \"").unwrap();
            let open = start + text[start..].find('{').unwrap() + 1;
            format!(
                "{}\n  tags = {{ changed = \"x\" }}{}",
                &text[..open],
                &text[open..]
            )
        }
    };
    std::fs::write(&file, text).unwrap();
}

/// A scratch folder with a copy of an example and an output folder `dr`.
struct Scratch {
    _dir: tempfile::TempDir,
    input: PathBuf,
    out: PathBuf,
    outside: PathBuf,
}

fn scratch(example: &str) -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("inventory");
    copy_dir(&root().join("examples").join(example), &input);
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    Scratch {
        input,
        out: dir.path().join("dr"),
        outside,
        _dir: dir,
    }
}

const MARKER: &str = "# Code generated by lifeboat from an inventory. DO NOT EDIT.\n";

// ---------------------------------------------------------------------------
// Foreign files.

#[test]
fn a_foreign_file_at_a_generated_path_is_left_untouched_and_nothing_is_written() {
    let s = scratch("minimal");
    write(&s.out.join("main.tf"), "# my own main.tf\n");
    write(&s.out.join("notes.txt"), "mine\n");
    let before = snapshot(&s.out);
    let o = compile(&s.input, &s.out, &[]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("main.tf` exists and was not written by lifeboat"));
    assert_same(&snapshot(&s.out), &before, "nothing may be written");
}

#[test]
fn a_foreign_file_in_a_generated_module_folder_blocks_the_compile() {
    let s = scratch("minimal");
    write(
        &s.out.join("modules/alerts/main.tf"),
        "resource \"x\" \"y\" {}\n",
    );
    let before = snapshot(&s.out);
    assert_exit(&compile(&s.input, &s.out, &[]), 1);
    assert_same(&snapshot(&s.out), &before, "the output changed");
}

#[test]
fn foreign_files_in_the_folder_survive_compiles() {
    let s = scratch("minimal");
    let foreign = [
        ("backend.tf", "terraform {\n  backend \"s3\" {}\n}\n"),
        ("notes.md", "# notes\n"),
        (".hidden", "x"),
        ("sub/keep.tf", "# not generated\n"),
        ("modules/custom/main.tf", "# mine\n"),
        ("modules/alerts/extra.tf", "# an addition of mine\n"),
        (".lifeboat/notes.txt", "mine\n"),
        // Mentions the marker, but not on its first line.
        ("later.tf", "# header\n# Code generated by lifeboat\n"),
    ];
    for (p, text) in foreign {
        write(&s.out.join(p), text);
    }
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert!(s.out.join("main.tf").exists());
    // A second compile after an inventory change, and a third with nothing to do.
    change_inventory(&s.input);
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    for (p, text) in foreign {
        assert_eq!(read(&s.out.join(p)), text, "{p}");
    }
}

#[test]
fn files_no_longer_generated_are_removed_but_foreign_ones_are_not() {
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert!(s.out.join("modules/alerts/main.tf").exists());
    write(&s.out.join("modules/alerts/mine.tf"), "# mine\n");
    write(&s.out.join("modules/custom/main.tf"), "# mine too\n");
    // Referencing the modules remotely: the copies are no longer generated.
    let o = compile(
        &s.input,
        &s.out,
        &[
            "--module-source",
            "git::https://example.com/dr.git//modules/{module}",
        ],
    );
    assert_exit(&o, 0);
    assert!(!s.out.join("modules/alerts/main.tf").exists());
    assert!(!s.out.join("modules/backup/README.md").exists());
    assert_eq!(read(&s.out.join("modules/alerts/mine.tf")), "# mine\n");
    assert_eq!(read(&s.out.join("modules/custom/main.tf")), "# mine too\n");
    assert!(read(&s.out.join("main.tf")).contains("git::https://example.com/dr.git"));
    let check = compile(
        &s.input,
        &s.out,
        &[
            "--check",
            "--module-source",
            "git::https://example.com/dr.git//modules/{module}",
        ],
    );
    assert_exit(&check, 0);
}

#[test]
fn another_compiles_output_in_a_sub_folder_is_not_removed() {
    let s = scratch("minimal");
    let webshop = root().join("examples/webshop");
    assert_exit(&compile(&webshop, &s.out.join("eu"), &[]), 0);
    let nested = snapshot(&s.out.join("eu"));
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    write(
        &s.out.join("main.tf.orig"),
        &read(&s.out.join("main.tf")).replace("minimal", "original"),
    );
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert_same(&snapshot(&s.out.join("eu")), &nested, "dr/eu was touched");
    assert!(s.out.join("main.tf.orig").exists(), "the copy was removed");
}

// ---------------------------------------------------------------------------
// Hand edits.

#[test]
fn a_hand_edited_generated_file_is_reported_and_overwritten_only_with_force() {
    let s = scratch("minimal");
    // Beside `dr`, so that its headers name the inputs the same way.
    let fresh = s.out.with_file_name("fresh");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    let main = s.out.join("main.tf");
    let edited = format!("{}\n# my change\n", read(&main));
    std::fs::write(&main, &edited).unwrap();
    let before = snapshot(&s.out);

    // Also when nothing else changed, and also after an inventory change.
    for _ in 0..2 {
        let o = compile(&s.input, &s.out, &[]);
        assert_exit(&o, 1);
        assert!(stderr(&o).contains("was edited by hand"), "{}", stderr(&o));
        assert_same(&snapshot(&s.out), &before, "nothing may be written");
        change_inventory(&s.input);
    }

    assert_exit(&compile(&s.input, &s.out, &["--force"]), 0);
    assert_exit(&compile(&s.input, &fresh, &[]), 0);
    assert_eq!(read(&main), read(&fresh.join("main.tf")));
    assert_same(
        &snapshot(&s.out),
        &snapshot(&fresh),
        "forced output differs from a fresh one",
    );
}

#[test]
fn a_hand_edited_file_that_is_no_longer_generated_is_not_removed_without_force() {
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    let module = s.out.join("modules/alerts/sns.tf");
    let edited = format!("{}\n# tuned by hand\n", read(&module));
    std::fs::write(&module, &edited).unwrap();
    let remote = ["--module-source", "git::https://example.com/m//{module}"];
    let before = snapshot(&s.out);
    let o = compile(&s.input, &s.out, &remote);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("edited by hand"));
    assert_same(&snapshot(&s.out), &before, "the output changed");
    let mut forced = remote.to_vec();
    forced.push("--force");
    assert_exit(&compile(&s.input, &s.out, &forced), 0);
    assert!(!module.exists());
}

// ---------------------------------------------------------------------------
// Symbolic links.

#[cfg(unix)]
#[test]
fn a_symlink_at_a_generated_path_pointing_outside_is_not_followed() {
    use std::os::unix::fs::symlink;
    for victim_text in ["outside, not mine to write\n", MARKER] {
        let s = scratch("minimal");
        let victim = s.outside.join("victim.tf");
        write(&victim, victim_text);
        std::fs::create_dir_all(&s.out).unwrap();
        symlink(&victim, s.out.join("main.tf")).unwrap();
        let before = snapshot(&s.out);
        let o = compile(&s.input, &s.out, &[]);
        assert!(!o.status.success(), "compile must fail");
        assert_eq!(read(&victim), victim_text, "the link target was written");
        assert_same(&snapshot(&s.out), &before, "nothing may be written");
        assert!(stderr(&o).contains("symbolic link") || stderr(&o).contains("not written"));
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_inside_the_output_is_neither_written_through_nor_cleaned() {
    use std::os::unix::fs::symlink;
    let s = scratch("minimal");
    // modules/ is a link to a folder outside: compile must refuse it.
    let mods = s.outside.join("mods");
    write(&mods.join("alerts/main.tf"), MARKER);
    std::fs::create_dir_all(&s.out).unwrap();
    symlink(&mods, s.out.join("modules")).unwrap();
    let outside_before = snapshot(&s.outside);
    let before = snapshot(&s.out);
    let o = compile(&s.input, &s.out, &[]);
    assert!(!o.status.success(), "{}", stderr(&o));
    assert_same(&snapshot(&s.outside), &outside_before, "outside changed");
    assert_same(&snapshot(&s.out), &before, "the output changed");

    // A link elsewhere in the output, to a folder of marked files, is not walked:
    // those files are not "extra generated files" to remove.
    std::fs::remove_file(s.out.join("modules")).unwrap();
    symlink(&mods, s.out.join("elsewhere")).unwrap();
    symlink(mods.join("alerts/main.tf"), s.out.join("stray.tf")).unwrap();
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert_same(&snapshot(&s.outside), &outside_before, "outside changed");
    assert!(s.out.join("elsewhere").is_symlink() && s.out.join("stray.tf").is_symlink());
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symlink_is_refused() {
    use std::os::unix::fs::symlink;
    let s = scratch("minimal");
    symlink(&s.outside, &s.out).unwrap();
    let o = compile(&s.input, &s.out, &[]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("symbolic link"));
    assert!(snapshot(&s.outside).is_empty());
}

/// A link planted at a staging name (`.main.tf.lifeboat-tmp`) is not followed
/// (it once was: the link target got main.tf and main.tf became the link).
#[cfg(unix)]
#[test]
fn a_symlink_at_a_staging_path_is_not_followed() {
    use std::os::unix::fs::symlink;
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    let victim = s.outside.join("victim.txt");
    write(&victim, "precious\n");
    symlink(&victim, s.out.join(".main.tf.lifeboat-tmp")).unwrap();
    change_inventory(&s.input);
    let _ = compile(&s.input, &s.out, &[]);
    assert_eq!(
        read(&victim),
        "precious\n",
        "the link target was overwritten"
    );
    assert!(!s.out.join("main.tf").is_symlink(), "main.tf became a link");
}

// ---------------------------------------------------------------------------
// --check.

#[test]
fn check_writes_nothing_and_exits_1_on_missing_stale_or_extra_files() {
    let s = scratch("minimal");
    // Nothing there yet: everything is missing, and the folder is not created.
    let o = compile(&s.input, &s.out, &["--check"]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("missing:"));
    assert!(!s.out.exists());

    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert_exit(&compile(&s.input, &s.out, &["--check"]), 0);

    type Damage = fn(&Path);
    let cases: [(&str, Damage); 3] = [
        ("stale:", |out| {
            let p = out.join("providers.tf");
            std::fs::write(&p, read(&p).replace("us-east-1", "eu-west-1")).unwrap();
        }),
        ("missing:", |out| {
            std::fs::remove_file(out.join("outputs.tf")).unwrap();
        }),
        ("extra:", |out| {
            // A file the previous compile wrote (its manifest lists it) that is no
            // longer generated.
            let text = MARKER.to_owned();
            write(&out.join("old.tf"), &text);
            let m = out.join(".lifeboat/manifest.json");
            let mut doc: serde_json::Value = serde_json::from_str(&read(&m)).unwrap();
            doc["files"]["old.tf"] = serde_json::json!(lifeboat::emit::manifest::hash(&text));
            // Keep the marker on the first line, as lifeboat writes it.
            let body = serde_json::to_string_pretty(&doc).unwrap().replacen(
                "{\n  \"generated\"",
                "{\"generated\"",
                1,
            );
            std::fs::write(&m, body).unwrap();
        }),
    ];
    for (what, damage) in cases {
        let s = scratch("minimal");
        assert_exit(&compile(&s.input, &s.out, &[]), 0);
        damage(&s.out);
        let before = snapshot(&s.out);
        let o = compile(&s.input, &s.out, &["--check"]);
        assert_exit(&o, 1);
        assert!(stderr(&o).contains(what), "{what}: {}", stderr(&o));
        assert_same(&snapshot(&s.out), &before, "{what}: --check wrote");
    }

    // An inventory change makes the tree stale too.
    change_inventory(&s.input);
    let before = snapshot(&s.out);
    assert_exit(&compile(&s.input, &s.out, &["--check"]), 1);
    assert_same(&snapshot(&s.out), &before, "the output changed");
}

// ---------------------------------------------------------------------------
// The data-loss guard.

/// The webshop without `customers-db` (which has a cross-Region read replica).
fn remove_customers_db(input: &Path) {
    let data = input.join("data.hcl");
    let text = read(&data);
    let start = text.find("asset \"customers-db\"").unwrap();
    let end = start + text[start..].find("\n}\n").unwrap() + 3;
    std::fs::write(&data, format!("{}{}", &text[..start], &text[end..])).unwrap();
    edit(&input.join("services.hcl"), "\"customers-db\", ", "");
}

#[test]
fn removing_an_asset_with_a_replica_is_refused_and_writes_nothing() {
    let s = scratch("webshop");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert!(read(&s.out.join("main.tf")).contains("module \"rds_customers_db\""));
    remove_customers_db(&s.input);
    let check = lifeboat(&["check", s.input.to_str().unwrap()]);
    assert_exit(&check, 0);

    let before = snapshot(&s.out);
    let o = compile(&s.input, &s.out, &[]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains("module.rds_customers_db.aws_db_instance.replica[0]"),
        "{err}"
    );
    assert_same(&snapshot(&s.out), &before, "nothing may be written");

    // --force is about hand edits, not data.
    assert_exit(&compile(&s.input, &s.out, &["--force"]), 1);
    assert_same(&snapshot(&s.out), &before, "the output changed");

    let o = compile(&s.input, &s.out, &["--allow-data-loss"]);
    assert_exit(&o, 0);
    assert!(!read(&s.out.join("main.tf")).contains("rds_customers_db"));
    // The new manifest is the reference now: a plain compile is fine again.
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
}

#[test]
fn renaming_an_asset_with_previously_moves_instead_of_destroying() {
    let s = scratch("webshop");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    let data = s.input.join("data.hcl");
    edit(
        &data,
        "asset \"customers-db\" {\n",
        "asset \"clients-db\" {\n  previously  = [\"customers-db\"]\n",
    );
    edit(
        &s.input.join("services.hcl"),
        "\"customers-db\"",
        "\"clients-db\"",
    );

    // Without `previously` the rename is a removal: refused.
    let without = s.outside.join("without");
    copy_dir(&s.input, &without);
    edit(
        &without.join("data.hcl"),
        "  previously  = [\"customers-db\"]\n",
        "",
    );
    let before = snapshot(&s.out);
    assert_exit(&compile(&without, &s.out, &[]), 1);
    assert_same(&snapshot(&s.out), &before, "the output changed");

    let o = compile(&s.input, &s.out, &[]);
    assert_exit(&o, 0);
    let main = read(&s.out.join("main.tf"));
    assert!(main.contains("module \"rds_clients_db\""), "{main}");
    assert!(!main.contains("module \"rds_customers_db\""));
    let body: hcl::Body = hcl::parse(&main).unwrap();
    let moved: Vec<String> = body
        .blocks()
        .filter(|b| b.identifier() == "moved")
        .map(|b| {
            let attr = |k: &str| {
                b.body()
                    .attributes()
                    .find(|a| a.key() == k)
                    .map(|a| hcl::format::to_string(a.expr()).unwrap())
                    .unwrap_or_default()
            };
            format!("{} -> {}", attr("from"), attr("to"))
        })
        .collect();
    assert_eq!(
        moved,
        ["module.rds_customers_db -> module.rds_clients_db"],
        "{main}"
    );
}

// ---------------------------------------------------------------------------
// Failed compiles.

/// A compile of a changed inventory that fails leaves the previous output as it
/// was, byte for byte.
#[test]
fn a_compile_that_fails_leaves_the_previous_output_exactly_as_it_was() {
    // 1. A folder where a generated file must go (found before writing).
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    std::fs::remove_file(s.out.join("outputs.tf")).unwrap();
    std::fs::create_dir(s.out.join("outputs.tf")).unwrap();
    change_inventory(&s.input);
    let before = snapshot(&s.out);
    let o = compile(&s.input, &s.out, &[]);
    assert!(!o.status.success());
    assert_same(&snapshot(&s.out), &before, "the output changed");

    // 2. A folder sits at a staging path (`.providers.tf.lifeboat-tmp`): it is
    // not lifeboat's, so it is left alone and the compile is refused. (Staging
    // that fails half-way: `a_compile_that_fails_at_any_step_...`.)
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    std::fs::create_dir(s.out.join(".providers.tf.lifeboat-tmp")).unwrap();
    std::fs::write(
        s.out.join(".providers.tf.lifeboat-tmp/keep"),
        "so the folder is not empty",
    )
    .unwrap();
    change_inventory(&s.input);
    let before = snapshot(&s.out);
    let o = compile(&s.input, &s.out, &[]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("is in the way"), "{}", stderr(&o));
    assert_same(&snapshot(&s.out), &before, "the output changed");
    // Once the obstacle is gone, the compile goes through.
    std::fs::remove_dir_all(s.out.join(".providers.tf.lifeboat-tmp")).unwrap();
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert!(read(&s.out.join("providers.tf")).contains("changed"));
}

/// Makes a file immutable (`chattr +i`, as root on ext4) until dropped.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .output()
            .is_ok_and(|o| o.status.success());
        // Only meaningful if writes really fail now (not as root: permissions).
        let blocked = std::fs::OpenOptions::new().append(true).open(path).is_err();
        match (ok, blocked) {
            (true, true) => Some(Immutable(path.to_owned())),
            (true, false) => {
                drop(Immutable(path.to_owned()));
                None
            }
            _ => None,
        }
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).output();
    }
}

#[test]
fn a_compile_that_fails_while_renaming_leaves_the_previous_output() {
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    change_inventory(&s.input);
    let before = snapshot(&s.out);
    let Some(_guard) = Immutable::set(&s.out.join("providers.tf")) else {
        eprintln!("note: cannot make a file immutable here (chattr +i); skipping");
        return;
    };
    let o = compile(&s.input, &s.out, &[]);
    assert!(!o.status.success(), "the compile cannot succeed");
    assert_same(
        &snapshot(&s.out),
        &before,
        "a failed compile changed the output",
    );
}

/// The generated header names the inventory files; spelling their folder
/// differently (relative, `./`, trailing or doubled slashes, absolute) must not
/// make `compile --check` find every file stale.
#[test]
fn check_does_not_depend_on_how_the_inputs_are_spelled() {
    let s = scratch("webshop");
    let base = s.input.parent().unwrap().to_path_buf();
    let run = |input: &str, extra: &[&str]| {
        Command::new(get_cargo_bin("lifeboat"))
            .current_dir(&base)
            .env("NO_COLOR", "1")
            .args(["compile", input, "-o", "dr"])
            .args(extra)
            .output()
            .unwrap()
    };
    assert_exit(&run("inventory", &[]), 0);
    let absolute = s.input.to_str().unwrap().to_owned();
    for spelling in [
        "inventory/",
        "./inventory",
        "./inventory//",
        absolute.as_str(),
        &format!("{absolute}/"),
    ] {
        let o = run(spelling, &["--check"]);
        assert_exit(&o, 0);
        assert!(
            stderr(&o).contains("is up to date"),
            "{spelling}: {}",
            stderr(&o)
        );
    }
}

// ---------------------------------------------------------------------------
// Output folders named through a link, and `graph -o`.

/// `-o link/` and `-o link/.` name the link, not the folder it points to (a
/// trailing `/` once made the system follow it).
#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symlink_is_refused_however_it_is_spelled() {
    use std::os::unix::fs::symlink;
    let s = scratch("minimal");
    symlink(&s.outside, &s.out).unwrap();
    let link = s.out.to_str().unwrap();
    for spelling in [
        format!("{link}/"),
        format!("{link}/."),
        format!("{link}//"),
        format!("{link}/./"),
    ] {
        let o = lifeboat(&["compile", s.input.to_str().unwrap(), "-o", &spelling]);
        assert_exit(&o, 2);
        assert!(
            stderr(&o).contains("symbolic link"),
            "{spelling}: {}",
            stderr(&o)
        );
        assert!(
            snapshot(&s.outside).is_empty(),
            "{spelling}: wrote through the link"
        );
    }
    // Relative, from inside the folder that holds the link.
    let o = Command::new(get_cargo_bin("lifeboat"))
        .current_dir(s.out.parent().unwrap())
        .args(["compile", s.input.to_str().unwrap(), "-o", "dr/."])
        .output()
        .unwrap();
    assert_exit(&o, 2);
    assert!(snapshot(&s.outside).is_empty());
}

/// `graph -o FILE` replaces FILE at once (a new file renamed over it): a link
/// there is refused, a hard link to it keeps the old text, and no temporary
/// file is left.
#[cfg(unix)]
#[test]
fn graph_out_never_writes_through_a_link_or_in_place() {
    use std::os::unix::fs::symlink;
    let s = scratch("minimal");
    let graph = |out: &Path| {
        lifeboat(&[
            "graph",
            s.input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
    };
    let victim = s.outside.join("victim.txt");
    write(&victim, "precious\n");
    let link = s.outside.join("graph.mmd");
    symlink(&victim, &link).unwrap();
    let o = graph(&link);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(read(&victim), "precious\n");
    assert!(link.is_symlink());

    // A hard link: the other name keeps the old text.
    let file = s.outside.join("topology.mmd");
    write(&file, "old\n");
    let other = s.outside.join("other-name.mmd");
    std::fs::hard_link(&file, &other).unwrap();
    assert_exit(&graph(&file), 0);
    assert!(read(&file).starts_with("flowchart LR"));
    assert_eq!(read(&other), "old\n", "written in place");
    let names: Vec<String> = std::fs::read_dir(&s.outside)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("lifeboat")),
        "a temporary file was left: {names:?}"
    );
    // Not a file at all.
    let o = graph(&s.outside);
    assert_exit(&o, 2);
}

/// Files of the user's that happen to carry lifeboat's staging names are never
/// removed: the compile is refused and they stay as they are.
#[test]
fn user_files_at_staging_names_are_left_alone() {
    for name in [
        ".main.tf.lifeboat-tmp",
        ".main.tf.lifeboat-old",
        "modules/alerts/.sns.tf.lifeboat-old",
        ".lifeboat/.manifest.json.lifeboat-tmp",
    ] {
        let s = scratch("minimal");
        assert_exit(&compile(&s.input, &s.out, &[]), 0);
        write(&s.out.join(name), "mine, whatever the name says\n");
        add_alert_email(&s.input);
        let before = snapshot(&s.out);
        let o = compile(&s.input, &s.out, &[]);
        assert_exit(&o, 1);
        assert!(
            stderr(&o).contains(&format!("{name}` is in the way")),
            "{name}: {}",
            stderr(&o)
        );
        assert_same(&snapshot(&s.out), &before, name);
    }
    // In a folder lifeboat never wrote, too (and it gets no `.lifeboat/`).
    let s = scratch("minimal");
    write(&s.out.join(".RUNBOOK.md.lifeboat-old"), "mine\n");
    let before = snapshot(&s.out);
    assert_exit(&compile(&s.input, &s.out, &[]), 1);
    assert_same(&snapshot(&s.out), &before, "a fresh folder");
}

// ---------------------------------------------------------------------------
// One compile at a time.

/// Holds `.lifeboat/lock` the way a running compile does, from this process.
fn hold_lock(out: &Path) -> std::fs::File {
    std::fs::create_dir_all(out.join(".lifeboat")).unwrap();
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(out.join(".lifeboat/lock"))
        .unwrap();
    file.lock().unwrap();
    file.set_len(0).unwrap();
    (&file).write_all(b"4242\n").unwrap();
    file
}

#[test]
fn a_second_compile_into_a_locked_folder_fails_clearly_and_writes_nothing() {
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    add_alert_email(&s.input);
    let lock = hold_lock(&s.out);
    let before = snapshot(&s.out);
    for extra in [&[][..], &["--check"], &["--force", "--allow-data-loss"]] {
        let o = compile(&s.input, &s.out, extra);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(
            err.contains("is in use by another lifeboat compile (pid 4242)")
                && err.contains("--wait"),
            "{extra:?}: {err}"
        );
        assert_same(&snapshot(&s.out), &before, "a locked folder changed");
    }
    drop(lock);
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    assert_eq!(
        read(&s.out.join(".lifeboat/lock")),
        "",
        "the lock is released"
    );
}

/// `--wait` blocks until the holder lets go, then compiles. Not timed: the
/// waiting compile says it waits, is seen still running while the lock is held,
/// and finishes once it is released.
#[test]
fn compile_wait_waits_for_the_lock_and_then_compiles() {
    use std::io::BufRead;
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    add_alert_email(&s.input);
    let lock = hold_lock(&s.out);
    let mut child = Command::new(get_cargo_bin("lifeboat"))
        .current_dir(root())
        .args([
            "compile",
            s.input.to_str().unwrap(),
            "-o",
            s.out.to_str().unwrap(),
            "--wait",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.contains("waiting for another lifeboat compile") && first.contains("pid 4242"),
        "{first}"
    );
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    assert!(
        !read(&s.out.join("main.tf")).contains("oncall@"),
        "written while locked"
    );
    drop(lock);
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert!(child.wait().unwrap().success(), "{rest:?}");
    assert!(read(&s.out.join("main.tf")).contains("oncall@example.com"));
}

/// A compile killed while holding the lock leaves its pid in the lock file;
/// the system released the lock itself, so the next compile takes it over.
#[test]
fn a_lock_left_by_a_killed_compile_is_taken_over() {
    let s = scratch("minimal");
    assert_exit(&compile(&s.input, &s.out, &[]), 0);
    write(&s.out.join(".lifeboat/lock"), "4242\n");
    add_alert_email(&s.input);
    let o = compile(&s.input, &s.out, &[]);
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("pid 4242"), "{}", stderr(&o));
    assert_eq!(read(&s.out.join(".lifeboat/lock")), "");
}

// ---------------------------------------------------------------------------
// Interrupted compiles: killed, or failing, at every step.

/// Add an alert address to the minimal example: main.tf, RUNBOOK.md and the
/// manifest change, and no resource that holds data is renamed.
fn add_alert_email(input: &Path) {
    edit(
        &input.join("lifeboat.hcl"),
        "  secondary_region = \"us-west-2\"\n",
        "  secondary_region = \"us-west-2\"\n  alert_emails     = [\"oncall@example.com\"]\n",
    );
}

/// Names of lifeboat's temporary files left in a tree.
fn strays(tree: &Snapshot) -> Vec<&PathBuf> {
    tree.keys()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.contains(".lifeboat-") || name == "journal.json"
        })
        .collect()
}

/// Two inventories and the trees a fresh compile makes of them: the old one
/// (local modules) and the new one (an alert address, remote modules: files
/// change, and the copied modules are removed).
struct Versions {
    s: Scratch,
    old_input: PathBuf,
    /// A copy of the old inventory's output, to start each run from.
    old_out: PathBuf,
    old_tree: Snapshot,
    new_tree: Snapshot,
}

const REMOTE: &[&str] = &["--module-source", "git::https://example.com/m//{module}"];

fn versions() -> Versions {
    let s = scratch("minimal");
    let old_input = s.outside.join("old-inventory");
    copy_dir(&s.input, &old_input);
    add_alert_email(&s.input);
    // Reference trees beside `dr`: headers name the inputs relative to the
    // output directory, so a tree compiled elsewhere would differ in them.
    let (old_out, new_out) = (
        s.out.with_file_name("ref-old"),
        s.out.with_file_name("ref-new"),
    );
    assert_exit(&compile(&old_input, &old_out, &[]), 0);
    assert_exit(&compile(&s.input, &new_out, REMOTE), 0);
    let old_tree = snapshot(&old_out);
    let new_tree = snapshot(&new_out);
    Versions {
        old_out,
        s,
        old_input,
        old_tree,
        new_tree,
    }
}

impl Versions {
    /// The output folder as the old inventory's compile left it.
    fn reset(&self) {
        let _ = std::fs::remove_dir_all(&self.s.out);
        copy_dir(&self.old_out, &self.s.out);
    }

    fn compile_new(&self, env: &[(&str, String)]) -> Output {
        let mut c = Command::new(get_cargo_bin("lifeboat"));
        c.current_dir(root()).env("NO_COLOR", "1");
        for (k, v) in env {
            c.env(k, v);
        }
        c.args([
            "compile",
            self.s.input.to_str().unwrap(),
            "-o",
            self.s.out.to_str().unwrap(),
        ])
        .args(REMOTE)
        .output()
        .unwrap()
    }
}

/// kill -9 before each change a compile makes to the output folder: the next
/// compile, of either inventory, finishes or undoes the interrupted one before
/// anything else, and leaves exactly the tree a fresh compile makes, with no
/// temporary file and no refusal ("edited by hand").
#[cfg(unix)]
#[test]
fn a_compile_killed_at_any_step_is_finished_by_the_next_one() {
    let v = versions();
    let mut steps = 0;
    for n in 1.. {
        v.reset();
        let o = v.compile_new(&[("LIFEBOAT_TEST_CRASH_AT", n.to_string())]);
        if o.status.success() {
            // Fewer than n steps: nothing was interrupted.
            assert_same(&snapshot(&v.s.out), &v.new_tree, "uninterrupted");
            break;
        }
        steps = n;
        assert_eq!(
            o.status.code(),
            None,
            "step {n}: not killed: {}",
            stderr(&o)
        );
        assert!(
            stderr(&o).contains(&format!("killed before step {n}")),
            "{}",
            stderr(&o)
        );
        // Either inventory next (in turn): recovery comes before anything else,
        // so the interrupted compile is finished or undone whichever it is.
        let (o, want, which) = if n % 2 == 1 {
            (compile(&v.old_input, &v.s.out, &[]), &v.old_tree, "old")
        } else {
            (v.compile_new(&[]), &v.new_tree, "new")
        };
        assert_exit(&o, 0);
        let tree = snapshot(&v.s.out);
        assert!(strays(&tree).is_empty(), "step {n}: {:?}", strays(&tree));
        assert_same(
            &tree,
            want,
            &format!("killed at step {n}, then the {which} inventory"),
        );
    }
    // The journal, three staging files, the journal again, six renames, three
    // removals of old files, the module copies, the journal's removal.
    assert!(steps > 20, "only {steps} steps were interrupted");
}

/// A failure (as of a full disk) at each change a compile makes: before the
/// renames are done, the previous output is restored exactly; after, the new
/// output is in place and the next compile finishes the clean-up.
#[test]
fn a_compile_that_fails_at_any_step_leaves_one_output_or_the_other() {
    let v = versions();
    let mut restored = 0;
    for n in 1.. {
        v.reset();
        let o = v.compile_new(&[("LIFEBOAT_TEST_FAIL_AT", n.to_string())]);
        if o.status.success() {
            assert_same(&snapshot(&v.s.out), &v.new_tree, "no failure");
            break;
        }
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(err.contains(&format!("step {n} fails")), "{err}");
        if err.contains("the new output is in place") {
            assert_exit(&v.compile_new(&[]), 0);
            let tree = snapshot(&v.s.out);
            assert!(strays(&tree).is_empty(), "step {n}: {:?}", strays(&tree));
            assert_same(
                &tree,
                &v.new_tree,
                &format!("failed at step {n}, then compiled"),
            );
        } else {
            restored += 1;
            assert_same(
                &snapshot(&v.s.out),
                &v.old_tree,
                &format!("failed at step {n}: not the previous output"),
            );
            // Killed while restoring (the undo's own steps follow the failing
            // one): the next compile still starts from one output.
            for k in [1, 2] {
                v.reset();
                let o = v.compile_new(&[
                    ("LIFEBOAT_TEST_FAIL_AT", n.to_string()),
                    ("LIFEBOAT_TEST_CRASH_AT", (n + k).to_string()),
                ]);
                if o.status.code().is_some() {
                    continue; // nothing left to kill
                }
                assert_exit(&compile(&v.old_input, &v.s.out, &[]), 0);
                let tree = snapshot(&v.s.out);
                assert!(
                    strays(&tree).is_empty(),
                    "step {n}+{k}: {:?}",
                    strays(&tree)
                );
                assert_same(
                    &tree,
                    &v.old_tree,
                    &format!("failed at {n}, killed at {}", n + k),
                );
            }
        }
    }
    assert!(restored > 8, "only {restored} failures restored the output");
}

/// Issue 23.7: a change that gives a resource holding data another name or
/// Region makes Terraform replace it, and is refused like a removal: renaming
/// the project (the vaults' names), changing the secondary Region (every copy),
/// choosing another replica bucket.
#[test]
fn renaming_or_moving_what_holds_data_is_refused_like_a_removal() {
    for (what, file, from, to, expect) in [
        (
            "the project renamed",
            "project.hcl",
            "project \"webshop\"",
            "project \"webstore\"",
            "module.backup.aws_backup_vault.this[\"primary\"]",
        ),
        (
            "the secondary Region changed",
            "project.hcl",
            "secondary_region = \"us-west-2\"",
            "secondary_region = \"us-east-2\"",
            "module.rds_orders_db.aws_db_instance.replica[0]",
        ),
        (
            "another replica bucket",
            "data.hcl",
            "    replicate_deletes = true\n",
            "    replicate_deletes  = true\n    destination_bucket = \"webshop-media-dr-2\"\n",
            "module.s3_media.aws_s3_bucket.destination",
        ),
    ] {
        let s = scratch("webshop");
        assert_exit(&compile(&s.input, &s.out, &[]), 0);
        edit(&s.input.join(file), from, to);
        assert_exit(&lifeboat(&["check", s.input.to_str().unwrap()]), 0);
        let before = snapshot(&s.out);
        let o = compile(&s.input, &s.out, &[]);
        assert_exit(&o, 1);
        let err = stderr(&o);
        assert!(err.contains(expect), "{what}: {err}");
        assert!(err.contains("replaced: it was"), "{what}: {err}");
        assert_same(&snapshot(&s.out), &before, what);
        // On purpose, it goes through.
        assert_exit(&compile(&s.input, &s.out, &["--allow-data-loss"]), 0);
    }
}

/// Issue 23.7: without a readable manifest the guard cannot run, so a folder of
/// generated files whose manifest is missing or truncated is refused (and a
/// fresh folder, which has none yet, is not).
#[test]
fn a_missing_or_damaged_manifest_refuses_the_compile() {
    for damage in ["missing", "truncated"] {
        let s = scratch("webshop");
        assert_exit(&compile(&s.input, &s.out, &[]), 0);
        let manifest = s.out.join(".lifeboat/manifest.json");
        match damage {
            "missing" => std::fs::remove_file(&manifest).unwrap(),
            _ => {
                let text = read(&manifest);
                std::fs::write(&manifest, &text[..text.len() / 2]).unwrap();
            }
        }
        remove_customers_db(&s.input);
        let before = snapshot(&s.out);
        let o = compile(&s.input, &s.out, &[]);
        assert_exit(&o, 1);
        let err = stderr(&o);
        let said = if damage == "missing" {
            "is missing"
        } else {
            "not a manifest lifeboat can read"
        };
        assert!(err.contains(said), "{damage}: {err}");
        assert!(
            err.contains("cannot tell which resources hold data"),
            "{err}"
        );
        assert_same(&snapshot(&s.out), &before, damage);
        assert_exit(&compile(&s.input, &s.out, &["--allow-data-loss"]), 0);
        assert!(
            manifest.exists(),
            "{damage}: the compile writes a new manifest"
        );
    }
}
