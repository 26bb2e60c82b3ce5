//! Writing generated files into the user's output folder, safely.
//!
//! Promises (docs/safety.md): only files that start with lifeboat's marker are
//! overwritten or removed; every file is written to a temporary file first and
//! renamed into place, so a failed compile leaves the previous output as it was;
//! nothing is written through a symbolic link.
//!
//! Files are produced, compared and staged one at a time and never held whole
//! here: at 100,000 assets the runbook alone is 350 MB (docs/performance.md).

use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{BufReader, Read, Write as _};
use std::path::{Component, Path, PathBuf};

use crate::emit::manifest::{self, Manifest, Protected};
use crate::emit::{MARKER, Produce};

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

/// Whether the file at `path` starts with lifeboat's marker (its first line is
/// read, up to 4 KiB).
fn file_is_generated(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    is_generated(&String::from_utf8_lossy(line))
}

/// [`manifest::hash`] of a file's bytes, read in pieces.
fn hash_file(path: &Path) -> Option<String> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path).ok()?);
    let mut h = manifest::Hasher::default();
    let mut buf = vec![0; 1 << 16];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Some(h.finish()),
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
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

/// `.<name>.lifeboat-<what>` next to `target`.
fn beside(target: &Path, what: &str) -> PathBuf {
    let parent = target.parent().expect("has a parent");
    parent.join(format!(
        ".{}.lifeboat-{what}",
        target.file_name().expect("file").to_string_lossy()
    ))
}

/// A new file at `path`, never through whatever sits there (a planted link is
/// removed, not followed).
fn create_new(path: &Path) -> std::io::Result<File> {
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// How a produced file compares with the one on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Same,
    Stale,
    Missing,
}

/// Receives one produced file: hashes it, compares it with the file on disk as
/// it goes, and, once it differs and staging is on, writes it to the staging
/// file (first copying the equal prefix from the file on disk).
struct Compare {
    hasher: manifest::Hasher,
    existing: Option<BufReader<File>>,
    target: PathBuf,
    /// Bytes produced so far; all equal to the file on disk while `equal`.
    len: u64,
    equal: bool,
    stage: Option<PathBuf>,
    staged: Option<File>,
    buf: Vec<u8>,
}

impl Compare {
    fn new(target: PathBuf, exists: bool, stage: Option<PathBuf>) -> Self {
        let existing = if exists {
            File::open(&target)
                .ok()
                .map(|f| BufReader::with_capacity(1 << 16, f))
        } else {
            None
        };
        Compare {
            hasher: manifest::Hasher::default(),
            equal: existing.is_some(),
            existing,
            target,
            len: 0,
            stage,
            staged: None,
            buf: Vec::new(),
        }
    }

    fn write(&mut self, text: &str) -> std::io::Result<()> {
        const PIECE: usize = 1 << 16;
        let bytes = text.as_bytes();
        self.hasher.update(bytes);
        let mut at = 0;
        while self.equal && at < bytes.len() {
            let piece = &bytes[at..bytes.len().min(at + PIECE)];
            let reader = self.existing.as_mut().expect("compared with a file");
            self.buf.resize(piece.len(), 0);
            let mut got = 0;
            while got < piece.len() {
                match reader.read(&mut self.buf[got..]) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            let same = self.buf[..got]
                .iter()
                .zip(piece)
                .take_while(|(a, b)| a == b)
                .count();
            self.len += same as u64;
            at += same;
            if same < piece.len() {
                self.differ()?;
            }
        }
        if at < bytes.len() {
            self.stage_bytes(&bytes[at..])?;
        }
        Ok(())
    }

    /// The text stopped matching the file on disk after `self.len` bytes.
    fn differ(&mut self) -> std::io::Result<()> {
        self.equal = false;
        if let Some(stage) = &self.stage {
            let mut file = create_new(stage)?;
            let mut prefix = File::open(&self.target)?.take(self.len);
            std::io::copy(&mut prefix, &mut file)?;
            self.staged = Some(file);
        }
        Ok(())
    }

    fn stage_bytes(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(file) = &mut self.staged {
            file.write_all(bytes)?;
        } else if let Some(stage) = &self.stage {
            let mut file = create_new(stage)?;
            file.write_all(bytes)?;
            self.staged = Some(file);
        }
        Ok(())
    }

    /// The file is complete: how it compares, and its hash.
    fn finish(mut self) -> std::io::Result<(State, String)> {
        let state = if self.existing.is_none() {
            State::Missing
        } else if self.equal {
            // Equal so far: the same only if the file on disk ends here too.
            let mut more = [0u8; 1];
            let reader = self.existing.as_mut().expect("compared with a file");
            let longer = loop {
                match reader.read(&mut more) {
                    Ok(n) => break n > 0,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            if longer {
                self.differ()?;
                State::Stale
            } else {
                State::Same
            }
        } else {
            State::Stale
        };
        if state != State::Same {
            // An empty file never called `write`: create its staging file now.
            self.stage_bytes(&[])?;
            if let Some(file) = &self.staged {
                file.sync_all()?;
            }
        }
        Ok((state, self.hasher.finish()))
    }
}

/// Create `folder` and the folders above it that do not exist; return those it
/// created, outermost first (a relative path ends in the empty path, which is the
/// current folder).
fn create_parents(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut d = folder;
    while !d.as_os_str().is_empty() && !d.exists() {
        missing.push(d.to_path_buf());
        match d.parent() {
            Some(up) => d = up,
            None => break,
        }
    }
    std::fs::create_dir_all(folder)?;
    missing.reverse();
    Ok(missing)
}

/// Rename every staged file over its target. Each replaced file is first moved
/// aside, so a failed rename can put everything back as it was; on failure,
/// returns the error and the target it happened at, with every target restored
/// (the staged files are left for the caller to remove).
fn commit(staged: &[(PathBuf, PathBuf)]) -> Result<(), (std::io::Error, PathBuf)> {
    let mut done: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let undo = |done: &[(&Path, Option<PathBuf>)]| {
        for (target, aside) in done.iter().rev() {
            let _ = match aside {
                Some(a) => std::fs::rename(a, target),
                None => std::fs::remove_file(target),
            };
        }
    };
    for (tmp, target) in staged {
        let aside = if std::fs::symlink_metadata(target).is_ok() {
            let a = beside(target, "old");
            let _ = std::fs::remove_file(&a);
            if let Err(e) = std::fs::rename(target, &a) {
                undo(&done);
                return Err((e, target.clone()));
            }
            Some(a)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(tmp, target) {
            if let Some(a) = &aside {
                let _ = std::fs::rename(a, target);
            }
            undo(&done);
            return Err((e, target.clone()));
        }
        done.push((target, aside));
    }
    // Everything is in place: drop what was moved aside.
    for a in done.into_iter().filter_map(|(_, aside)| aside) {
        let _ = std::fs::remove_file(a);
    }
    Ok(())
}

/// What writing (or comparing) the output folder did, or why it wrote nothing.
/// Paths are relative to the output folder; the CLI prints the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every file is in place: `changed` were written, `removed` removed.
    Written {
        files: usize,
        changed: usize,
        removed: usize,
    },
    /// `--check`: the folder was compared, nothing written.
    Checked {
        files: usize,
        stale: Vec<String>,
        missing: Vec<String>,
        extra: Vec<String>,
    },
    /// Refused: files lifeboat did not write sit at generated paths.
    Foreign(Vec<String>),
    /// Refused: generated files were edited by hand (and `--force` was not given).
    Edited(Vec<String>),
    /// Refused: resources that hold or protect data would be destroyed (and
    /// `--allow-data-loss` was not given).
    DataLoss(Vec<Protected>),
}

impl Outcome {
    /// Whether the folder is as the compile wants it (exit status 0).
    pub fn ok(&self) -> bool {
        match self {
            Outcome::Written { .. } => true,
            Outcome::Checked {
                stale,
                missing,
                extra,
                ..
            } => stale.is_empty() && missing.is_empty() && extra.is_empty(),
            _ => false,
        }
    }
}

/// Write (or with `check`, compare) the produced files into `dir`.
pub fn apply_from(dir: &Path, files: &mut dyn Produce, flags: Flags) -> Result<Outcome> {
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
    let paths = files.paths();
    let wanted: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
    let mut targets = Vec::with_capacity(paths.len());
    let mut exists = Vec::with_capacity(paths.len());
    let mut foreign = Vec::new();
    for p in &paths {
        let target = safe_target(dir, p)?;
        // A file lifeboat did not write (no marker), or something that is not a
        // readable file, at a generated path is never replaced.
        let here = std::fs::symlink_metadata(&target).is_ok();
        if here && !file_is_generated(&target) {
            foreign.push(p.clone());
        }
        exists.push(here);
        targets.push(target);
    }
    // Only files this output's previous compile wrote are ever removed: not
    // marked copies (`main.tf.orig`), not another compile's output in a sub-folder.
    let extra: Vec<String> = old
        .iter()
        .flat_map(|m| m.files.keys())
        .filter(|p| !wanted.contains(p.as_str()))
        .filter(|p| {
            safe_target(dir, p).is_ok_and(|t| {
                std::fs::symlink_metadata(&t).is_ok_and(|m| m.is_file()) && file_is_generated(&t)
            })
        })
        .cloned()
        .collect();
    if !foreign.is_empty() {
        return Ok(Outcome::Foreign(foreign));
    }
    // Known before anything is produced: a compile that would destroy protected
    // resources stages nothing.
    let lost = match (&old, files.guard()) {
        (Some(old), Some(new)) if !flags.check => manifest::lost(old, &new),
        _ => Vec::new(),
    };
    let mut staging = !flags.check && (lost.is_empty() || flags.allow_data_loss);

    // Produce, compare and stage every file, one at a time.
    let mut hashes: Vec<(String, String)> = Vec::with_capacity(paths.len());
    let mut stale = Vec::new();
    let mut missing = Vec::new();
    let mut edited = Vec::new();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)], created: &[PathBuf]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
        for d in created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    };
    for (i, path) in paths.iter().enumerate() {
        let target = &targets[i];
        let stage = if staging {
            let parent = target.parent().expect("has a parent");
            match create_parents(parent) {
                Ok(created) => created_dirs.extend(created),
                Err(e) => {
                    cleanup(&staged, &created_dirs);
                    return Err(e).with_context(|| format!("cannot create `{}`", parent.display()));
                }
            }
            Some(beside(target, "tmp"))
        } else {
            None
        };
        let mut cmp = Compare::new(target.clone(), exists[i], stage.clone());
        let mut failed = None;
        let produced = files.produce(i, &hashes, &mut |text: &str| {
            cmp.write(text).inspect_err(|e| {
                failed = Some(std::io::Error::new(e.kind(), e.to_string()));
            })
        });
        let finished = match (produced, failed) {
            (_, Some(e)) => Err(anyhow::Error::new(e)),
            (Err(e), None) => Err(e),
            (Ok(()), None) => cmp.finish().map_err(anyhow::Error::new),
        };
        let (state, hash) = match finished {
            Ok(v) => v,
            Err(e) => {
                if let Some(s) = &stage {
                    let _ = std::fs::remove_file(s);
                }
                cleanup(&staged, &created_dirs);
                let shown = stage.as_deref().unwrap_or(target);
                return Err(e).with_context(|| format!("cannot write `{}`", shown.display()));
            }
        };
        match state {
            State::Same => {}
            State::Missing => missing.push(path.clone()),
            State::Stale => {
                stale.push(path.clone());
                // Hand edits: the file on disk is not what the last compile wrote.
                if path != manifest::PATH
                    && let Some(old) = &old
                    && let Some(h) = old.files.get(path)
                    && hash_file(target).is_none_or(|now| now != *h)
                {
                    edited.push(path.clone());
                    if !flags.force && staging {
                        // Refused: stop staging, keep comparing to list every edit.
                        staging = false;
                        if let Some(s) = &stage {
                            let _ = std::fs::remove_file(s);
                        }
                        cleanup(&staged, &created_dirs);
                        staged.clear();
                        created_dirs.clear();
                    }
                }
            }
        }
        if state != State::Same
            && let Some(s) = stage
            && staging
        {
            staged.push((s, target.clone()));
        }
        hashes.push((path.clone(), hash));
    }
    for p in &extra {
        if let Some(old) = &old
            && let Some(h) = old.files.get(p)
            && p != manifest::PATH
            && hash_file(&dir.join(p)).is_none_or(|now| now != *h)
        {
            edited.push(p.clone());
        }
    }

    if flags.check {
        return Ok(Outcome::Checked {
            files: paths.len(),
            stale,
            missing,
            extra,
        });
    }
    if !edited.is_empty() && !flags.force {
        cleanup(&staged, &created_dirs);
        return Ok(Outcome::Edited(edited));
    }
    if !lost.is_empty() && !flags.allow_data_loss {
        cleanup(&staged, &created_dirs);
        return Ok(Outcome::DataLoss(lost));
    }

    if let Err((e, target)) = commit(&staged) {
        cleanup(&staged, &[]);
        return Err(e).with_context(|| {
            format!(
                "cannot replace `{}`; the previous output was restored",
                target.display()
            )
        });
    }
    for p in &extra {
        let target = safe_target(dir, p)?;
        std::fs::remove_file(&target)
            .with_context(|| format!("cannot remove `{}`", target.display()))?;
    }
    Ok(Outcome::Written {
        files: paths.len(),
        changed: staged.len(),
        removed: extra.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run `new` through a [`Compare`] against `old` on disk (None: no file), cut
    /// into pieces of `piece` bytes; return the state, the hash and what was staged.
    fn compare(old: Option<&str>, new: &str, piece: usize) -> (State, String, Option<String>) {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f.tf");
        if let Some(old) = old {
            std::fs::write(&target, old).unwrap();
        }
        let stage = beside(&target, "tmp");
        let mut cmp = Compare::new(target, old.is_some(), Some(stage.clone()));
        let mut at = 0;
        while at < new.len() {
            let mut end = (at + piece).min(new.len());
            while !new.is_char_boundary(end) {
                end += 1;
            }
            cmp.write(&new[at..end]).unwrap();
            at = end;
        }
        let (state, hash) = cmp.finish().unwrap();
        (state, hash, std::fs::read_to_string(&stage).ok())
    }

    #[test]
    fn compare_stages_exactly_the_new_text_whatever_the_pieces() {
        let long: String = (0..40_000).map(|i| format!("line {i}\n")).collect();
        let mut changed_late = long.clone();
        changed_late.replace_range(long.len() - 10..long.len() - 9, "X");
        let mut changed_early = long.clone();
        changed_early.replace_range(3..4, "é");
        // Changes on either side of the 64 KiB pieces the file on disk is read in.
        let at = |i: usize| {
            let mut t = long.clone();
            t.replace_range(i..i + 1, "#");
            t
        };
        let (before_piece, at_piece) = (at(65_535), at(65_536));
        let cases: Vec<(Option<&str>, &str)> = vec![
            (None, ""),
            (None, "abc"),
            (None, &long),
            (Some(""), ""),
            (Some(""), "abc"),
            (Some("abc"), ""),
            (Some("abc"), "abc"),
            (Some("abc"), "abd"),
            (Some("abc"), "ab"),
            (Some("ab"), "abc"),
            (Some(&long), &long),
            (Some(&long), &changed_late),
            (Some(&changed_late), &long),
            (Some(&long), &changed_early),
            (Some(&long), &before_piece),
            (Some(&long), &at_piece),
            (Some(&at_piece), &long),
            (Some(&long), &long[..long.len() - 1]),
            (Some(&long[..long.len() - 1]), &long),
        ];
        for (old, new) in cases {
            for piece in [1, 7, 4096, 65_536, 100_000, usize::MAX / 2] {
                if piece < 4096 && new.len() > 10_000 {
                    continue;
                }
                let (state, hash, staged) = compare(old, new, piece);
                let what = format!(
                    "old {:?}.., new {:?}.., pieces of {piece}",
                    old.map(|o| &o[..o.len().min(8)]),
                    &new[..new.len().min(8)]
                );
                assert_eq!(hash, manifest::hash(new), "{what}");
                match old {
                    None => assert_eq!(state, State::Missing, "{what}"),
                    Some(o) if o == new => assert_eq!(state, State::Same, "{what}"),
                    Some(_) => assert_eq!(state, State::Stale, "{what}"),
                }
                if state == State::Same {
                    assert_eq!(staged, None, "{what}: nothing staged");
                } else {
                    assert_eq!(staged.as_deref(), Some(new), "{what}: staged text");
                }
            }
        }
    }

    #[test]
    fn compare_without_staging_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f.tf");
        std::fs::write(&target, "old").unwrap();
        let mut cmp = Compare::new(target.clone(), true, None);
        cmp.write("new text").unwrap();
        assert_eq!(cmp.finish().unwrap().0, State::Stale);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
    }
}
