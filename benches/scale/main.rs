//! Scale benchmark tools (docs/performance.md). A bench target with its own `main`
//! (`harness = false`), so it adds nothing to lifeboat's build or dependencies.
//!
//! ```text
//! cargo bench --bench scale -- gen N SEED DIR          write a generated inventory of N assets into DIR
//! cargo bench --bench scale -- stages N [SEED [RUNS]]  time every pipeline stage in memory
//! cargo bench --bench scale -- errors N [SEED]         time the paths only broken inventories take
//! cargo bench --bench scale                            stages at 1,000 and 10,000 assets
//! ```
//!
//! benches/scale.sh uses `gen` to measure the real binary end to end; `stages`
//! calls the library's stages one by one to show where the time goes.

mod generator;

use std::alloc::{GlobalAlloc, Layout};

/// The allocator the lifeboat binary uses (src/main.rs).
use mimalloc::MiMalloc as Inner;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lifeboat::diag::{Code, Diagnostic, Diagnostics};
use lifeboat::source::{SourceFile, Sources, Span};

/// lifeboat's allocator, counting live heap bytes and their peak, so `stages`
/// can say how much memory each stage holds and needs (RSS alone cannot tell
/// stages apart).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { Inner.alloc(l) };
        if !p.is_null() && COUNTING.load(Relaxed) {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { Inner.dealloc(p, l) };
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(l.size(), Relaxed);
        }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, size: usize) -> *mut u8 {
        let q = unsafe { Inner.realloc(p, l, size) };
        if !q.is_null() && COUNTING.load(Relaxed) {
            if size >= l.size() {
                let now = LIVE.fetch_add(size - l.size(), Relaxed) + size - l.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - size, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const USAGE: &str =
    "usage: scale gen N SEED DIR | scale stages N [SEED [RUNS]] | scale errors N [SEED]";

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; other flags are not ours either.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let num = |s: &str| s.replace(['_', ','], "").parse::<u64>().ok();
    let arg = |i: usize, default: u64| args.get(i).map_or(Some(default), |s| num(s));
    let result = match args.as_slice() {
        ["gen", n, seed, dir] => match (num(n), num(seed)) {
            (Some(n), Some(seed)) => write(n as usize, seed, Path::new(dir)),
            _ => return usage(),
        },
        ["stages", n, ..] if args.len() <= 4 => match (num(n), arg(2, 1), arg(3, 3)) {
            (Some(n), Some(seed), Some(runs)) => stages(n as usize, seed, runs.max(1) as usize),
            _ => return usage(),
        },
        ["errors", n, ..] if args.len() <= 3 => match (num(n), arg(2, 1)) {
            (Some(n), Some(seed)) => errors(n as usize, seed),
            _ => return usage(),
        },
        [] => stages(1_000, 1, 3).and_then(|()| stages(10_000, 1, 3)),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scale: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// Write the generated files into `dir`, which must not hold an inventory yet
/// (lifeboat would read those files too).
fn write(n: usize, seed: u64, dir: &Path) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(io)?;
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("hcl" | "json")
        ) {
            return Err(format!(
                "`{}` already holds inventory files; give an empty directory",
                dir.display()
            ));
        }
    }
    let files = generator::inventory(n, seed);
    let mut bytes = 0;
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).map_err(io)?;
        bytes += text.len();
    }
    eprintln!(
        "scale: wrote {n} assets in {} files ({bytes} bytes) to {}",
        files.len(),
        dir.display()
    );
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// What one stage cost: wall time, heap bytes live when it ended, and the most
/// heap it held at once while it ran.
#[derive(Clone, Copy)]
struct Stat {
    t: Duration,
    live: usize,
    peak: usize,
}

/// Run `f` and return its result and what it cost.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Stat) {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    let start = Instant::now();
    let v = f();
    let t = start.elapsed();
    let stat = Stat {
        t,
        live: LIVE.load(Relaxed),
        peak: PEAK.load(Relaxed),
    };
    (v, stat)
}

fn mib(b: usize) -> String {
    format!("{:.0}", b as f64 / 1048576.0)
}

fn sources(files: Vec<(String, String)>) -> Sources {
    Sources::new(
        files
            .into_iter()
            .map(|(name, text)| SourceFile::new(name, text))
            .collect(),
    )
}

/// What one run of the pipeline measured.
struct Run {
    rows: Vec<(&'static str, Stat)>,
    summary: String,
}

/// Time each stage of `check` and `compile` on a generated inventory, in memory
/// (no file reads), `runs` times; print the fastest and the median of each stage
/// (the fastest is the least disturbed by other work on the machine).
fn stages(n: usize, seed: u64, runs: usize) -> Result<(), String> {
    // One run with the heap counted (the counter's atomics slow threaded stages,
    // so the timed runs go without it).
    COUNTING.store(true, Relaxed);
    let heap = pipeline(n, seed);
    COUNTING.store(false, Relaxed);
    let heap = heap?;
    let mut all: Vec<Run> = Vec::new();
    for _ in 0..runs {
        all.push(pipeline(n, seed)?);
    }
    println!(
        "\n### {n} assets (seed {seed}, {runs} runs): {}\n",
        all[0].summary
    );
    println!(
        "| stage | fastest ms | median ms | heap after MiB | peak heap MiB |\n|---|---:|---:|---:|---:|"
    );
    for (i, (name, _)) in all[0].rows.iter().enumerate() {
        let mut t: Vec<Duration> = all.iter().map(|r| r.rows[i].1.t).collect();
        t.sort();
        let last = heap.rows[i].1;
        println!(
            "| {name} | {} | {} | {} | {} |",
            ms(t[0]),
            ms(t[t.len() / 2]),
            mib(last.live),
            mib(last.peak)
        );
    }
    Ok(())
}

fn pipeline(n: usize, seed: u64) -> Result<Run, String> {
    let files = generator::inventory(n, seed);
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut rows: Vec<(&str, Stat)> = Vec::new();
    let (sources, t) = timed(|| sources(files));
    rows.push(("sources (line index)", t));
    let mut diagnostics = Diagnostics::default();
    let (root, t) = timed(|| lifeboat::parse::parse(&sources, &mut diagnostics));
    rows.push(("parse (HCL/JSON, merge)", t));
    let root = root.ok_or("the generated inventory does not parse")?;
    let (broken, t) = timed(|| lifeboat::schema::check(&root, &mut diagnostics));
    rows.push(("schema check", t));
    let (lowered, t) = timed(|| lifeboat::model::lower::lower(&root, &broken, &mut diagnostics));
    rows.push(("lower (values, model)", t));
    let inventory = lowered
        .inventory
        .ok_or("the generated inventory does not lower")?;
    let (graph, t) =
        timed(|| lifeboat::graph::build(&inventory, &lowered.declared_ids, &mut diagnostics));
    rows.push(("graph", t));
    let graph = graph.ok_or("the generated inventory has a cycle")?;
    let (recovery, t) = timed(|| lifeboat::check::run(&inventory, &graph, &mut diagnostics));
    rows.push(("check (recovery model)", t));
    let (sorted, t) = timed(|| diagnostics.sorted().len());
    rows.push(("Diagnostics::sorted", t));
    let errors = diagnostics.error_count();
    if errors > 0 {
        return Err(format!("the generated inventory has {errors} errors"));
    }
    let (deployment, t) = timed(|| lifeboat::deploy::build(&inventory, &recovery));
    rows.push(("deploy (names, backup design, protected resources)", t));
    let opts = lifeboat::emit::Options {
        module_source: None,
        inputs: sources.files.iter().map(|f| f.name.clone()).collect(),
        ..Default::default()
    };
    let (ctx, t) =
        timed(|| lifeboat::emit::terraform::context(&inventory, &recovery, &deployment, &opts));
    rows.push(("  emit: frame context and block list", t));
    drop(ctx);
    let (tf, t) =
        timed(|| lifeboat::emit::terraform::render(&inventory, &recovery, &deployment, &opts));
    rows.push((
        "  emit: terraform::render (context, handlebars, fmt, re-parse)",
        t,
    ));
    drop(tf);
    let analysis = lifeboat::Analysis {
        sources,
        diagnostics,
        inventory: Some(inventory),
        graph: Some(graph),
        recovery: Some(recovery),
        deployment: Some(deployment),
    };
    // What `compile` does: files produced one at a time and streamed to disk.
    let out = std::env::temp_dir().join(format!("lifeboat-scale-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let flags = lifeboat::write::Flags::default();
    let streamed = |out: &Path| {
        std::thread::scope(|scope| {
            let mut files = lifeboat::emit::stream(scope, &analysis, &opts)?;
            lifeboat::write::apply_from(out, &mut files, flags)
        })
    };
    let (w, t) = timed(|| streamed(&out));
    rows.push((
        "compile: emit::stream + write::apply_from, fresh directory",
        t,
    ));
    let (w2, t) = timed(|| streamed(&out));
    rows.push((
        "compile: emit::stream + write::apply_from, nothing changed",
        t,
    ));
    let _ = std::fs::remove_dir_all(&out);
    w.and(w2).map_err(|e| format!("write failed: {e:#}"))?;

    // Where the time of emission goes, in memory.
    let (files, t) = timed(|| lifeboat::emit::generate(&analysis, &opts));
    let analysis_ref = &analysis;
    rows.push((
        "emit::generate, in memory (Terraform, runbook, manifest)",
        t,
    ));
    let files = files.map_err(|e| format!("emit failed: {e:#}"))?;
    let main_tf = files
        .iter()
        .find(|f| f.path == "main.tf")
        .map_or("", |f| f.contents.as_str());
    let (_, t) = timed(|| lifeboat::emit::hcl::fmt(main_tf).len());
    rows.push(("  emit: hcl::fmt(main.tf) alone", t));
    let (_, t) = timed(|| {
        let (inv, rec, dep) = analysis_ref.compiled().expect("model");
        lifeboat::report::runbook::render(inv, rec, dep, &opts.header("")).len()
    });
    rows.push(("  emit: runbook::render alone", t));
    let (_, t) = timed(|| lifeboat::emit::hcl::parse_check(main_tf).is_ok());
    rows.push(("  emit: hcl::parse_check(main.tf) alone", t));

    let out_bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    Ok(Run {
        rows,
        summary: format!(
            "{bytes} bytes of input, {} generated files, {out_bytes} bytes of output, {sorted} diagnostics",
            files.len()
        ),
    })
}

/// Paths that only broken or changed inventories take, at scale: they are not in
/// the end-to-end numbers (the generated inventories are valid) but a large
/// inventory with many diagnostics must not become slow.
fn errors(n: usize, seed: u64) -> Result<(), String> {
    let sources = sources(generator::inventory(n, seed));
    let mut diags = Diagnostics::default();
    let root = lifeboat::parse::parse(&sources, &mut diags).ok_or("does not parse")?;
    let broken = lifeboat::schema::check(&root, &mut diags);
    let lowered = lifeboat::model::lower::lower(&root, &broken, &mut diags);
    let mut inventory = lowered.inventory.ok_or("does not lower")?;
    let mut rows: Vec<(String, Stat)> = Vec::new();

    // One diagnostic per asset (e.g. a tier every asset breaches), sorted for printing.
    let mut many = Diagnostics::default();
    for (i, a) in inventory.assets.iter().enumerate() {
        let span = Span::new(i % sources.files.len(), (n - i)..(n - i + 3));
        many.push(Diagnostic::new(
            Code::RtoBreach,
            span,
            format!(
                "asset `{}` needs 2h25m to serve again in the az scenario, over its RTO of 1h",
                a.id
            ),
        ));
    }
    let (_, t) = timed(|| many.sorted().len());
    rows.push((format!("Diagnostics::sorted, {n} diagnostics"), t));

    // A dependency removed that many assets name: every reference is unknown and
    // gets a did-you-mean over all declared ids.
    let mut unknown = 0;
    for a in &mut inventory.assets {
        for d in &mut a.depends_on {
            if unknown < n / 100 + 1 {
                d.push_str("-gone");
                unknown += 1;
            }
        }
    }
    let mut d = Diagnostics::default();
    let (_, t) = timed(|| lifeboat::graph::build(&inventory, &lowered.declared_ids, &mut d));
    rows.push((
        format!(
            "graph::build, {unknown} unknown dependencies x {} declared ids",
            lowered.declared_ids.len()
        ),
        t,
    ));

    println!("\n### Error paths, {n} assets (seed {seed})\n");
    println!("| case | ms |\n|---|---:|");
    for (name, t) in &rows {
        println!("| {name} | {} |", ms(t.t));
    }
    Ok(())
}
