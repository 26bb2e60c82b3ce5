//! Writing generated files into the user's output folder, safely.
//!
//! Promises (docs/safety.md): only files that start with lifeboat's marker are
//! overwritten or removed; every file is written to a temporary file first and
//! renamed into place, so a failed compile leaves the previous output as it was;
//! nothing is written through a symbolic link.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::emit::manifest::{self, Manifest};
use crate::emit::{GeneratedFile, MARKER};

#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    /// Compare only.
    pub check: bool,
    /// Overwrite hand-edited generated files.
    pub force: bool,
    pub allow_data_loss: bool,
}

fn is_generated(text: &str) -> bool {
    text.lines().next().is_some_and(|l| l.contains(MARKER))
}

/// Refuse paths that would leave `dir` or pass through a symbolic link.
fn safe_target(dir: &Path, rel: &str) -> Result<PathBuf> {
    let rel_path = Path::new(rel);
    if rel_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        bail!("internal error: generated path `{rel}` is not a plain relative path");
    }
    let mut cur = dir.to_path_buf();
    for c in rel_path.components() {
        cur.push(c);
        if let Ok(meta) = std::fs::symlink_metadata(&cur)
            && meta.file_type().is_symlink()
        {
            bail!(
                "`{}` is a symbolic link; lifeboat does not write through links",
                cur.display()
            );
        }
    }
    Ok(cur)
}

/// Write (or with `check`, compare) the generated files into `dir`.
pub fn apply(dir: &Path, files: &[GeneratedFile], flags: Flags) -> Result<ExitCode> {
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        if meta.file_type().is_symlink() {
            bail!(
                "`{}` is a symbolic link; give the real output directory",
                dir.display()
            );
        }
        if !meta.is_dir() {
            bail!("`{}` exists and is not a directory", dir.display());
        }
    }
    // Hand edits, removals and data loss are judged against the previous manifest.
    let old: Option<Manifest> = std::fs::read_to_string(dir.join(manifest::PATH))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut stale = Vec::new();
    let mut missing = Vec::new();
    let mut foreign = Vec::new();
    for f in files {
        let target = safe_target(dir, &f.path)?;
        match std::fs::read_to_string(&target) {
            Ok(text) if text == f.contents => {}
            Ok(text) if is_generated(&text) => stale.push(f.path.clone()),
            Ok(_) => foreign.push(f.path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing.push(f.path.clone()),
            Err(_) => foreign.push(f.path.clone()),
        }
    }
    // Only files this output's previous compile wrote are ever removed: not
    // marked copies (`main.tf.orig`), not another compile's output in a sub-folder.
    let extra: Vec<String> = old
        .iter()
        .flat_map(|m| m.files.keys())
        .filter(|p| !wanted.contains(p.as_str()))
        .filter(|p| {
            safe_target(dir, p).is_ok_and(|t| {
                std::fs::symlink_metadata(&t).is_ok_and(|m| m.is_file())
                    && std::fs::read_to_string(&t).is_ok_and(|text| is_generated(&text))
            })
        })
        .cloned()
        .collect();
    let mut err = std::io::stderr().lock();
    if !foreign.is_empty() {
        for p in &foreign {
            writeln!(
                err,
                "lifeboat: error: `{}` exists and was not written by lifeboat (no \"{MARKER}\" header); it is left untouched",
                dir.join(p).display()
            )?;
        }
        writeln!(
            err,
            "lifeboat: nothing written: move those files away or choose another output directory with -o"
        )?;
        return Ok(ExitCode::from(1));
    }
    if flags.check {
        let up_to_date = stale.is_empty() && missing.is_empty() && extra.is_empty();
        for (what, list) in [("stale", &stale), ("missing", &missing), ("extra", &extra)] {
            for p in list {
                writeln!(err, "{what}: {}", dir.join(p).display())?;
            }
        }
        if up_to_date {
            writeln!(
                err,
                "lifeboat: `{}` is up to date ({} files)",
                dir.display(),
                files.len()
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        writeln!(
            err,
            "lifeboat: `{}` is out of date: {} stale, {} missing, {} extra; run `lifeboat compile` to regenerate",
            dir.display(),
            stale.len(),
            missing.len(),
            extra.len()
        )?;
        return Ok(ExitCode::from(1));
    }
    let new: Option<Manifest> = files
        .iter()
        .find(|f| f.path == manifest::PATH)
        .map(|f| serde_json::from_str(&f.contents).expect("own manifest parses"));
    if let (Some(old), Some(new)) = (&old, &new) {
        let edited: Vec<&String> = stale
            .iter()
            .chain(&extra)
            .filter(|p| p.as_str() != manifest::PATH)
            .filter(|p| {
                let on_disk = std::fs::read_to_string(dir.join(p)).unwrap_or_default();
                old.files
                    .get(p.as_str())
                    .is_some_and(|h| *h != manifest::hash(&on_disk))
            })
            .collect();
        if !edited.is_empty() && !flags.force {
            for p in &edited {
                writeln!(
                    err,
                    "lifeboat: error: `{}` was edited by hand since lifeboat wrote it",
                    dir.join(p).display()
                )?;
            }
            writeln!(
                err,
                "lifeboat: nothing written: move your changes into the inventory (or a separate .tf file), or pass --force to overwrite them"
            )?;
            return Ok(ExitCode::from(1));
        }
        let lost = manifest::lost(old, new);
        if !lost.is_empty() && !flags.allow_data_loss {
            writeln!(
                err,
                "lifeboat: error: this compile would destroy resources that hold or protect data:"
            )?;
            for p in &lost {
                let owner = if p.asset.is_empty() {
                    String::new()
                } else {
                    format!(" (asset `{}`)", p.asset)
                };
                writeln!(err, "  - {}: {}{owner}", p.address, p.what)?;
            }
            writeln!(
                err,
                "lifeboat: nothing written. An asset was removed, renamed or lost a mechanism. To rename, add `previously = [\"<old id>\"]` to the asset; to destroy on purpose, pass --allow-data-loss (prevent_destroy inside the modules does not help here: Terraform ignores it once the module call itself is gone.)"
            )?;
            return Ok(ExitCode::from(1));
        }
    }
    // Stage every changed file next to its target, then rename into place.
    let mut staged = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for f in files
        .iter()
        .filter(|f| stale.contains(&f.path) || missing.contains(&f.path))
    {
        let target = safe_target(dir, &f.path)?;
        let parent = target.parent().expect("has a parent");
        if let Err(e) = std::fs::create_dir_all(parent) {
            cleanup(&staged);
            return Err(e).with_context(|| format!("cannot create `{}`", parent.display()));
        }
        let tmp = parent.join(format!(
            ".{}.lifeboat-tmp",
            target.file_name().expect("file").to_string_lossy()
        ));
        // Never write through whatever sits at the temporary name (a planted link):
        // remove it (a link is removed, not followed), then create a new file.
        let _ = std::fs::remove_file(&tmp);
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut file| {
                file.write_all(f.contents.as_bytes())?;
                file.sync_all()
            });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(e).with_context(|| format!("cannot write `{}`", tmp.display()));
        }
        staged.push((tmp, target));
    }
    // Keep what each target held, so a failed rename can put everything back.
    let previous: Vec<Option<Vec<u8>>> = staged
        .iter()
        .map(|(_, target)| std::fs::read(target).ok())
        .collect();
    for (k, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            for ((_, done), before) in staged[..k].iter().zip(&previous) {
                let _ = match before {
                    Some(bytes) => std::fs::write(done, bytes),
                    None => std::fs::remove_file(done),
                };
            }
            cleanup(&staged[k..]);
            return Err(e).with_context(|| {
                format!(
                    "cannot replace `{}`; the previous output was restored",
                    target.display()
                )
            });
        }
    }
    for p in &extra {
        let target = safe_target(dir, p)?;
        std::fs::remove_file(&target)
            .with_context(|| format!("cannot remove `{}`", target.display()))?;
    }
    writeln!(
        err,
        "lifeboat: wrote `{}`: {} files ({} changed, {} removed)",
        dir.display(),
        files.len(),
        staged.len(),
        extra.len()
    )?;
    Ok(ExitCode::SUCCESS)
}
