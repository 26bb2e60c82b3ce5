//! Writing generated files into the user's output folder, safely.
//!
//! Promises (docs/safety.md): only files that start with lifeboat's marker are
//! overwritten or removed; every file is written to a temporary file first and
//! renamed into place, so a failed compile leaves the previous output as it was;
//! nothing is written through a symbolic link; one compile at a time writes a
//! folder (`.lifeboat/lock`); a compile killed while renaming is finished by the
//! next one (`.lifeboat/journal.json`), so the folder is never left half old and
//! half new.
//!
//! Files are produced, compared and staged one at a time and never held whole
//! here: at 100,000 assets the runbook alone is 350 MB (docs/performance.md).

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufReader, Read, Write as _};
use std::path::{Component, Path, PathBuf};

use crate::diag::printable;
use crate::emit::manifest::{self, Manifest, Protected};
use crate::emit::{MARKER, Produce};

#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    /// Compare only.
    pub check: bool,
    /// Overwrite hand-edited generated files.
    pub force: bool,
    pub allow_data_loss: bool,
    /// Wait for another compile into the same folder to finish, instead of
    /// failing.
    pub wait: bool,
}

/// The lock file, relative to the output folder.
pub const LOCK: &str = ".lifeboat/lock";
/// The journal of a compile's renames, relative to the output folder.
pub const JOURNAL: &str = ".lifeboat/journal.json";

/// A path as it may be printed: no control characters or invisible ones.
fn shown(p: &Path) -> String {
    printable(&p.display().to_string())
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

/// The output folder as given, without `.` components and trailing separators:
/// `dr/`, `dr/.` and `./dr` all name `dr` itself, not what a link there points to
/// (a trailing `/` makes the system follow a link).
fn normalize(dir: &Path) -> PathBuf {
    let p: PathBuf = dir.components().collect();
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p
    }
}

/// Refuse paths that would leave `dir` or pass through a symbolic link.
fn safe_target(dir: &Path, rel: &str) -> Result<PathBuf> {
    let rel_path = Path::new(rel);
    if rel_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        bail!(
            "internal error: generated path `{}` is not a plain relative path",
            printable(rel)
        );
    }
    let mut cur = dir.to_path_buf();
    for c in rel_path.components() {
        cur.push(c);
        if let Ok(meta) = std::fs::symlink_metadata(&cur)
            && meta.file_type().is_symlink()
        {
            bail!(
                "`{}` is a symbolic link; lifeboat does not write through links",
                shown(&cur)
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

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// A new file at `path`; fails if anything is there (a planted link is neither
/// followed nor removed).
fn create_new(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Flush a folder's entries (renames, removals) to disk.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Test hook.

/// **Test hook** (docs/safety.md): with `LIFEBOAT_TEST_CRASH_AT=N`, the process
/// kills itself (SIGKILL) just before the Nth change it makes to the output
/// folder (journal writes, staging files, renames, removals); with
/// `LIFEBOAT_TEST_FAIL_AT=N`, that change fails as an I/O error would.
/// `tests/write_safety.rs` uses them to interrupt a compile at every step.
fn step(what: &str, path: &Path) -> std::io::Result<()> {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static HOOK: OnceLock<(Option<usize>, Option<usize>)> = OnceLock::new();
    static STEPS: AtomicUsize = AtomicUsize::new(0);
    let (crash, fail) = *HOOK.get_or_init(|| {
        let n = |v: &str| std::env::var(v).ok().and_then(|s| s.parse().ok());
        (n("LIFEBOAT_TEST_CRASH_AT"), n("LIFEBOAT_TEST_FAIL_AT"))
    });
    if crash.is_none() && fail.is_none() {
        return Ok(());
    }
    let n = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
    if crash == Some(n) {
        eprintln!(
            "lifeboat: test hook: killed before step {n}: {what} `{}`",
            shown(path)
        );
        #[cfg(unix)]
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &std::process::id().to_string()])
            .status();
        std::process::abort();
    }
    if fail == Some(n) {
        return Err(std::io::Error::other(format!(
            "test hook: step {n} fails: {what} `{}`",
            shown(path)
        )));
    }
    Ok(())
}

fn rename(from: &Path, to: &Path, what: &str) -> std::io::Result<()> {
    step(what, to)?;
    std::fs::rename(from, to)
}

fn remove(path: &Path, what: &str) -> std::io::Result<()> {
    step(what, path)?;
    std::fs::remove_file(path)
}

// ---------------------------------------------------------------------------
// One compile at a time.

/// An exclusive (or, for `--check`, shared) lock on `.lifeboat/lock`, released
/// when dropped or when the process ends, however it ends (the system releases
/// it: `flock` on Unix). The holder's pid is in the file while it holds it, for
/// the message of whoever waits; the file is emptied on release, so a pid left in
/// an unlocked file is a compile that was killed.
struct Lock {
    file: File,
    exclusive: bool,
}

impl Lock {
    fn holder(file: &mut File) -> String {
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        match text.trim().parse::<u32>() {
            Ok(pid) => format!("pid {pid}"),
            Err(_) => "a `--check`, or its pid is not written yet".to_owned(),
        }
    }

    /// Take the lock of `dir`; `exclusive` creates the lock file (and
    /// `.lifeboat/`) if needed, a shared lock only takes one that exists.
    fn take(dir: &Path, exclusive: bool, wait: bool) -> Result<Option<Lock>> {
        use std::fs::TryLockError;
        let path = safe_target(dir, LOCK)?;
        let mut file = if exclusive {
            let parent = path.parent().expect("in .lifeboat");
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", shown(parent)))?;
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
        } else {
            match File::open(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                other => other,
            }
        }
        .with_context(|| format!("cannot open `{}`", shown(&path)))?;
        let tried = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match tried {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = Self::holder(&mut file);
                if !wait {
                    bail!(
                        "`{}` is in use by another lifeboat compile ({holder}); run again when it is done, or pass --wait",
                        shown(dir)
                    );
                }
                eprintln!(
                    "lifeboat: waiting for another lifeboat compile into `{}` to finish ({holder})",
                    shown(dir)
                );
                if exclusive {
                    file.lock()
                } else {
                    file.lock_shared()
                }
                .with_context(|| format!("cannot lock `{}`", shown(&path)))?;
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock `{}`", shown(&path)));
            }
        }
        if exclusive {
            let mut before = String::new();
            let _ = file.read_to_string(&mut before);
            if let Ok(pid) = before.trim().parse::<u32>() {
                eprintln!(
                    "lifeboat: note: the compile of pid {pid} into `{}` ended without releasing its lock (it was killed?); taking it over",
                    shown(dir)
                );
            }
            file.set_len(0)
                .and_then(|()| {
                    use std::io::{Seek, SeekFrom};
                    file.seek(SeekFrom::Start(0))?;
                    writeln!(file, "{}", std::process::id())
                })
                .with_context(|| format!("cannot write `{}`", shown(&path)))?;
        }
        Ok(Some(Lock { file, exclusive }))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if self.exclusive {
            let _ = self.file.set_len(0);
        }
        let _ = self.file.unlock();
    }
}

// ---------------------------------------------------------------------------
// The journal.

/// What a compile is doing to the output folder, written before it changes
/// anything and removed when it is done. The next compile reads it before
/// anything else ([`recover`]).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
enum Journal {
    /// Staging files (`.<name>.lifeboat-tmp`) may exist for these paths; the
    /// names were free when the compile began, so the files are its own.
    Staging { files: Vec<String> },
    /// Every file is staged: rename them into place in this order, then remove
    /// what was moved aside and the files no longer generated.
    Committing {
        files: Vec<Entry>,
        remove: Vec<String>,
    },
}

/// One file of a commit.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    path: String,
    /// A file was there before, and is moved aside (`.<name>.lifeboat-old`).
    replaced: bool,
}

impl Journal {
    /// Replace the journal at once (written beside it, then renamed).
    fn write(&self, dir: &Path) -> std::io::Result<()> {
        let path = dir.join(JOURNAL);
        let tmp = beside(&path, "tmp");
        let _ = std::fs::remove_file(&tmp); // lifeboat's own name in `.lifeboat/`
        let text = serde_json::to_string_pretty(self).expect("serializes");
        step("write the journal", &path)?;
        let mut f = create_new(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        sync_dir(path.parent().expect("in .lifeboat"))
    }

    fn remove(dir: &Path) -> std::io::Result<()> {
        let path = dir.join(JOURNAL);
        remove(&path, "remove the journal")?;
        sync_dir(path.parent().expect("in .lifeboat"))
    }
}

/// Where a commit stopped.
enum Stopped {
    /// While renaming: [`roll_back`] can still restore the previous output.
    Renaming(std::io::Error, PathBuf),
    /// After every file was in place: the journal stays, the next compile
    /// finishes the clean-up.
    Cleaning(std::io::Error, PathBuf),
}

/// Rename every staged file of `entries` over its target, each replaced file
/// first moved aside; then remove the files moved aside and those of `remove`
/// (if still lifeboat's). Every step can be repeated: after an interruption
/// anywhere, running this again over the same journal finishes the job.
fn roll_forward(dir: &Path, entries: &[Entry], removals: &[String]) -> Result<(), Stopped> {
    let paths = |e: &Entry| {
        let target = dir.join(&e.path);
        (beside(&target, "tmp"), beside(&target, "old"), target)
    };
    let mut parents: Vec<PathBuf> = Vec::new();
    for e in entries {
        let (tmp, old, target) = paths(e);
        let renaming = |err, at: &Path| Stopped::Renaming(err, at.to_path_buf());
        if safe_target(dir, &e.path).is_err() {
            let err = std::io::Error::other("a symbolic link is in the way");
            return Err(renaming(err, &target));
        }
        if !is_file(&tmp) {
            continue; // already in place
        }
        if e.replaced && exists(&target) {
            if exists(&old) {
                let err = std::io::Error::other(format!("`{}` is in the way", shown(&old)));
                return Err(renaming(err, &target));
            }
            rename(&target, &old, "move aside").map_err(|err| renaming(err, &target))?;
        } else if exists(&target) {
            let err = std::io::Error::other("a file appeared there during the compile");
            return Err(renaming(err, &target));
        }
        rename(&tmp, &target, "rename into place").map_err(|err| renaming(err, &target))?;
        let parent = target.parent().expect("has a parent").to_path_buf();
        if !parents.contains(&parent) {
            parents.push(parent);
        }
    }
    for p in &parents {
        sync_dir(p).map_err(|err| Stopped::Cleaning(err, p.clone()))?;
    }
    let cleaning = |err, at: &Path| Stopped::Cleaning(err, at.to_path_buf());
    for e in entries.iter().filter(|e| e.replaced) {
        let (_, old, _) = paths(e);
        if is_file(&old) {
            remove(&old, "remove the old file").map_err(|err| cleaning(err, &old))?;
        }
    }
    for p in removals {
        let Ok(target) = safe_target(dir, p) else {
            continue;
        };
        if is_file(&target) && file_is_generated(&target) {
            remove(&target, "remove a file no longer generated")
                .map_err(|err| cleaning(err, &target))?;
        }
    }
    // Folders that held only files no longer generated go too (a folder that
    // still holds anything stays: `remove_dir` removes empty folders only).
    for p in removals.iter().filter(|p| safe_target(dir, p).is_ok()) {
        let mut folder = Path::new(p).parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            if std::fs::remove_dir(dir.join(f)).is_err() {
                break;
            }
            folder = f.parent();
        }
    }
    Ok(())
}

/// Undo the renames [`roll_forward`] did, newest first: each new file goes back
/// to its staging name and the file moved aside back to its place, so that an
/// interrupted roll back is again a commit that [`roll_forward`] can finish.
/// Then the journal says that only staging files are left, and they are
/// removed (if that journal cannot be written, they stay for the next compile,
/// which finishes the commit instead). Best effort; the caller removes the
/// journal.
fn roll_back(dir: &Path, entries: &[Entry]) {
    for e in entries.iter().rev() {
        let target = dir.join(&e.path);
        let (tmp, old) = (beside(&target, "tmp"), beside(&target, "old"));
        if !exists(&tmp) && is_file(&target) && (!e.replaced || exists(&old)) {
            let _ = std::fs::rename(&target, &tmp);
        }
        if e.replaced && !exists(&target) && is_file(&old) {
            let _ = std::fs::rename(&old, &target);
        }
    }
    let files = entries.iter().map(|e| e.path.clone()).collect();
    if (Journal::Staging { files }).write(dir).is_err() {
        return;
    }
    for e in entries {
        let tmp = beside(&dir.join(&e.path), "tmp");
        if is_file(&tmp) {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Finish or undo what an interrupted compile left in `dir`'s journal, before
/// anything else happens to the folder. Returns what it did, for the user.
fn recover(dir: &Path) -> Result<Option<String>> {
    let path = dir.join(JOURNAL);
    let tmp = beside(&path, "tmp");
    if is_file(&tmp) {
        // A journal being written when the compile stopped: the journal
        // before it (if any) still says what happened.
        std::fs::remove_file(&tmp).with_context(|| format!("cannot remove `{}`", shown(&tmp)))?;
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", shown(&path))),
    };
    let journal: Journal = serde_json::from_str(&text).with_context(|| {
        format!(
            "`{}` is not a journal lifeboat can read; a compile was interrupted, so check the folder, then remove it",
            shown(&path)
        )
    })?;
    let done = match journal {
        Journal::Staging { files } => {
            for p in &files {
                let Ok(target) = safe_target(dir, p) else {
                    continue;
                };
                let staged = beside(&target, "tmp");
                if is_file(&staged) {
                    remove(&staged, "remove a staging file")
                        .with_context(|| format!("cannot remove `{}`", shown(&staged)))?;
                }
            }
            "removed the staging files of a compile that was interrupted before it changed anything"
        }
        Journal::Committing { files, remove } => match roll_forward(dir, &files, &remove) {
            Ok(()) => "finished the renames of a compile that was interrupted while renaming",
            Err(Stopped::Renaming(e, at)) => {
                roll_back(dir, &files);
                Journal::remove(dir)
                    .with_context(|| format!("cannot remove `{}`", shown(&path)))?;
                return Err(e).with_context(|| {
                    format!(
                        "a compile into `{}` was interrupted while renaming, and `{}` cannot be replaced; the output before that compile was restored",
                        shown(dir),
                        shown(&at)
                    )
                });
            }
            Err(Stopped::Cleaning(e, at)) => {
                return Err(e).with_context(|| {
                    format!(
                        "a compile into `{}` was interrupted; its files are in place, but `{}` cannot be removed",
                        shown(dir),
                        shown(&at)
                    )
                });
            }
        },
    };
    Journal::remove(dir).with_context(|| format!("cannot remove `{}`", shown(&path)))?;
    Ok(Some(done.to_owned()))
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
            // Equal pieces (the usual case) compare at memcmp speed.
            let same = if self.buf[..got] == piece[..got] {
                got
            } else {
                self.buf[..got]
                    .iter()
                    .zip(piece)
                    .take_while(|(a, b)| a == b)
                    .count()
            };
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
            step("stage", stage)?;
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
            step("stage", stage)?;
            let mut file = create_new(stage)?;
            file.write_all(bytes)?;
            self.staged = Some(file);
        }
        Ok(())
    }

    /// The file is complete: how it compares, and its hash.
    fn finish(&mut self) -> std::io::Result<(State, String)> {
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
    /// Refused: files sit at the names lifeboat stages under
    /// (`.<name>.lifeboat-tmp`, `.<name>.lifeboat-old`) that it did not create.
    InTheWay(Vec<String>),
    /// Refused: generated files were edited by hand (and `--force` was not given).
    Edited(Vec<String>),
    /// Refused: resources that hold or protect data would be destroyed (and
    /// `--allow-data-loss` was not given).
    DataLoss(Vec<Protected>),
    /// Refused: the folder holds generated files but its manifest is missing
    /// (`damaged: false`) or unreadable (`true`), so neither the data-loss guard
    /// nor the hand-edit check could run (and `--allow-data-loss` was not given).
    NoManifest { damaged: bool },
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

/// The refusals known from the folder alone (no manifest needed): files lifeboat
/// did not write at generated paths, and files at its staging names. Returns the
/// targets and whether each exists.
fn survey(dir: &Path, paths: &[String]) -> Result<(Vec<PathBuf>, Vec<bool>, Option<Outcome>)> {
    let mut targets = Vec::with_capacity(paths.len());
    let mut here = Vec::with_capacity(paths.len());
    let (mut foreign, mut in_the_way) = (Vec::new(), Vec::new());
    for p in paths {
        let target = safe_target(dir, p)?;
        // A file lifeboat did not write (no marker), or something that is not a
        // readable file, at a generated path is never replaced.
        let exists = exists(&target);
        if exists && !file_is_generated(&target) {
            foreign.push(p.clone());
        }
        for what in ["tmp", "old"] {
            let staging = beside(&target, what);
            if self::exists(&staging) {
                let rel = staging.strip_prefix(dir).unwrap_or(&staging);
                in_the_way.push(rel.to_string_lossy().into_owned());
            }
        }
        here.push(exists);
        targets.push(target);
    }
    let refusal = if !foreign.is_empty() {
        Some(Outcome::Foreign(foreign))
    } else if !in_the_way.is_empty() {
        Some(Outcome::InTheWay(in_the_way))
    } else {
        None
    };
    Ok((targets, here, refusal))
}

/// Write (or with `check`, compare) the produced files into `dir`.
pub fn apply_from(dir: &Path, files: &mut dyn Produce, flags: Flags) -> Result<Outcome> {
    let dir = &normalize(dir);
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        if meta.file_type().is_symlink() {
            bail!(
                "`{}` is a symbolic link; give the real output directory",
                shown(dir)
            );
        }
        if !meta.is_dir() {
            bail!("`{}` exists and is not a directory", shown(dir));
        }
    }
    let paths = files.paths();
    // A folder lifeboat never wrote (no `.lifeboat/`) gets none for a compile
    // that is refused anyway: refusals found from the folder alone are looked
    // for first (and again under the lock).
    if !flags.check
        && !exists(&dir.join(".lifeboat"))
        && let (_, _, Some(refusal)) = survey(dir, &paths)?
    {
        return Ok(refusal);
    }
    let _lock = if flags.check {
        // Comparing needs a folder nobody is writing; it creates nothing.
        if exists(dir) {
            Lock::take(dir, false, flags.wait)?
        } else {
            None
        }
    } else {
        Lock::take(dir, true, flags.wait)?
    };
    if flags.check {
        if exists(&dir.join(JOURNAL)) {
            bail!(
                "a compile into `{}` was interrupted (`{JOURNAL}` is there); run `lifeboat compile` to finish it",
                shown(dir)
            );
        }
    } else if let Some(done) = recover(dir)? {
        eprintln!("lifeboat: note: `{}`: {done}", shown(dir));
    }
    let (targets, exists, refusal) = survey(dir, &paths)?;
    if let Some(refusal) = refusal.filter(|_| !flags.check) {
        return Ok(refusal);
    }

    // Hand edits, removals and data loss are judged against the previous manifest:
    // without it, they cannot be, so a folder of generated files without a
    // readable manifest is refused (unless the user takes the risk).
    let refuse = !flags.check && !flags.allow_data_loss;
    let old: Option<Manifest> = match std::fs::read_to_string(dir.join(manifest::PATH)) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(m) => Some(m),
            Err(_) if refuse => return Ok(Outcome::NoManifest { damaged: true }),
            Err(_) => None,
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let generated = paths
                .iter()
                .zip(&targets)
                .zip(&exists)
                .any(|((p, t), here)| *here && p != manifest::PATH && file_is_generated(t));
            if generated && refuse {
                return Ok(Outcome::NoManifest { damaged: false });
            }
            None
        }
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot read `{}`", shown(&dir.join(manifest::PATH))));
        }
    };
    let wanted: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
    // Only files this output's previous compile wrote are ever removed: not
    // marked copies (`main.tf.orig`), not another compile's output in a sub-folder.
    let extra: Vec<String> = old
        .iter()
        .flat_map(|m| m.files.keys())
        .filter(|p| !wanted.contains(p.as_str()))
        .filter(|p| safe_target(dir, p).is_ok_and(|t| is_file(&t) && file_is_generated(&t)))
        .cloned()
        .collect();
    // Known before anything is produced: a compile that would destroy protected
    // resources stages nothing.
    let lost = match (&old, files.guard()) {
        (Some(old), Some(new)) if !flags.check => manifest::lost(old, &new),
        _ => Vec::new(),
    };
    let mut staging = !flags.check && (lost.is_empty() || flags.allow_data_loss);
    // From here on the folder changes: first the journal says which staging
    // files may appear, so an interrupted compile leaves none behind.
    let journal = staging;
    if journal {
        Journal::Staging {
            files: paths.clone(),
        }
        .write(dir)
        .with_context(|| format!("cannot write `{}`", shown(&dir.join(JOURNAL))))?;
    }
    let result = stage_and_commit(
        dir,
        files,
        flags,
        &paths,
        &targets,
        &exists,
        &old,
        &extra,
        &lost,
        &mut staging,
    );
    // A compile that did not commit (refused, or failed) leaves no journal: its
    // staging files are gone. One that committed removed it, or left it for the
    // next compile to finish the clean-up.
    let committed = matches!(
        result,
        Ok(Outcome::Written { .. }) | Err(Failed::Cleaning(_))
    );
    if journal && !committed {
        let _ = Journal::remove(dir);
    }
    result.map_err(|f| match f {
        Failed::Other(e) | Failed::Cleaning(e) => e,
    })
}

/// How [`stage_and_commit`] failed.
enum Failed {
    /// Before or while renaming: the previous output is in place.
    Other(anyhow::Error),
    /// After: the new output is in place, the journal stays for the clean-up.
    Cleaning(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failed {
    fn from(e: E) -> Self {
        Failed::Other(e.into())
    }
}

#[allow(clippy::too_many_arguments)]
fn stage_and_commit(
    dir: &Path,
    files: &mut dyn Produce,
    flags: Flags,
    paths: &[String],
    targets: &[PathBuf],
    exists: &[bool],
    old: &Option<Manifest>,
    extra: &[String],
    lost: &[Protected],
    staging: &mut bool,
) -> Result<Outcome, Failed> {
    // Produce, compare and stage every file, one at a time.
    let mut hashes: Vec<(String, String)> = Vec::with_capacity(paths.len());
    let mut stale = Vec::new();
    let mut missing = Vec::new();
    let mut edited = Vec::new();
    // (index of the path, staging file)
    let mut staged: Vec<(usize, PathBuf)> = Vec::new();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    // Only what this compile created is removed.
    let cleanup = |staged: &[(usize, PathBuf)], created: &[PathBuf]| {
        for (_, tmp) in staged {
            let _ = std::fs::remove_file(tmp);
        }
        for d in created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    };
    for (i, path) in paths.iter().enumerate() {
        let target = &targets[i];
        let stage = if *staging {
            let parent = target.parent().expect("has a parent");
            match create_parents(parent) {
                Ok(created) => created_dirs.extend(created),
                Err(e) => {
                    cleanup(&staged, &created_dirs);
                    return Err(Failed::Other(
                        anyhow::Error::new(e).context(format!("cannot create `{}`", shown(parent))),
                    ));
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
        // Whether this compile created the staging file (only then is it removed).
        let created = cmp.staged.is_some();
        drop(cmp);
        let (state, hash) = match finished {
            Ok(v) => v,
            Err(e) => {
                if created && let Some(s) = &stage {
                    let _ = std::fs::remove_file(s);
                }
                cleanup(&staged, &created_dirs);
                let shown_path = stage.as_deref().unwrap_or(target);
                return Err(Failed::Other(
                    e.context(format!("cannot write `{}`", shown(shown_path))),
                ));
            }
        };
        match state {
            State::Same => {}
            State::Missing => missing.push(path.clone()),
            State::Stale => {
                stale.push(path.clone());
                // Hand edits: the file on disk is not what the last compile wrote.
                if path != manifest::PATH
                    && let Some(old) = old
                    && let Some(h) = old.files.get(path)
                    && hash_file(target).is_none_or(|now| now != *h)
                {
                    edited.push(path.clone());
                    if !flags.force && *staging {
                        // Refused: stop staging, keep comparing to list every edit.
                        *staging = false;
                        if created && let Some(s) = &stage {
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
            && *staging
        {
            staged.push((i, s));
        }
        hashes.push((path.clone(), hash));
    }
    for p in extra {
        if let Some(old) = old
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
            extra: extra.to_vec(),
        });
    }
    if !edited.is_empty() && !flags.force {
        cleanup(&staged, &created_dirs);
        return Ok(Outcome::Edited(edited));
    }
    if !lost.is_empty() && !flags.allow_data_loss {
        cleanup(&staged, &created_dirs);
        return Ok(Outcome::DataLoss(lost.to_vec()));
    }

    // Everything is staged and allowed: the journal now says to rename, and from
    // its write on, the compile happens even if this process dies.
    let entries: Vec<Entry> = staged
        .iter()
        .map(|(i, _)| Entry {
            path: paths[*i].clone(),
            replaced: exists[*i],
        })
        .collect();
    let journal = Journal::Committing {
        files: entries.clone(),
        remove: extra.to_vec(),
    };
    if let Err(e) = journal.write(dir) {
        cleanup(&staged, &created_dirs);
        return Err(Failed::Other(
            anyhow::Error::new(e).context(format!("cannot write `{}`", shown(&dir.join(JOURNAL)))),
        ));
    }
    match roll_forward(dir, &entries, extra) {
        Ok(()) => {}
        Err(Stopped::Renaming(e, target)) => {
            roll_back(dir, &entries);
            cleanup(&[], &created_dirs);
            return Err(Failed::Other(anyhow::Error::new(e).context(format!(
                "cannot replace `{}`; the previous output was restored",
                shown(&target)
            ))));
        }
        Err(Stopped::Cleaning(e, at)) => {
            return Err(Failed::Cleaning(anyhow::Error::new(e).context(format!(
                "the new output is in place, but `{}` cannot be removed; the next compile finishes the clean-up",
                shown(&at)
            ))));
        }
    }
    if let Err(e) = Journal::remove(dir) {
        return Err(Failed::Cleaning(anyhow::Error::new(e).context(format!(
            "the new output is in place, but `{}` cannot be removed; the next compile removes it",
            shown(&dir.join(JOURNAL))
        ))));
    }
    Ok(Outcome::Written {
        files: paths.len(),
        changed: staged.len(),
        removed: extra.len(),
    })
}

/// Write `text` to the file at `path` (`graph -o`), all at once from the
/// reader's view: into a new file beside it, then renamed over it. A symbolic
/// link at `path` is refused, not followed; the new file gets the old one's
/// permissions.
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    let path = normalize(path);
    let before = match std::fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_symlink() => bail!(
            "`{}` is a symbolic link; lifeboat does not write through links",
            shown(&path)
        ),
        Ok(m) if !m.is_file() => bail!("`{}` exists and is not a regular file", shown(&path)),
        Ok(m) => Some(m.permissions()),
        Err(_) => None,
    };
    let Some(name) = path.file_name() else {
        bail!("`{}` does not name a file", shown(&path));
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // A name of this process's own, never one that is taken.
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let tmp = parent.join(format!(
            ".{}.lifeboat-tmp-{}-{attempt}",
            name.to_string_lossy(),
            std::process::id()
        ));
        match create_new(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1
            }
            Err(e) => return Err(e).with_context(|| format!("cannot create `{}`", shown(&tmp))),
        }
    };
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| match before {
            Some(p) => std::fs::set_permissions(&tmp, p),
            None => Ok(()),
        })
        .and_then(|()| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write `{}`", shown(&path)));
    }
    Ok(())
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
