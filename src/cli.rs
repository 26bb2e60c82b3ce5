//! The command line: the only module that reads files, writes output and exits.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::Analysis;
use crate::diag::{self, Code, Diagnostic};
use crate::source::{SourceFile, Sources};

/// Largest inventory file read (bytes); larger files are reported, not read.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "lifeboat",
    version,
    about = "Check disaster-recovery objectives of AWS data assets and compile them into Terraform",
    long_about = "lifeboat reads an inventory (lifeboat.hcl or *.json) of data assets and services, \
their recovery tiers (RPO/RTO per disruption scenario) and their dependencies. It checks that the \
recovery mechanisms can meet every objective along the dependency graph, and generates Terraform \
for AWS Backup, S3 replication, RDS replicas and Route 53 failover.\n\n\
Exit status: 0 ok, 1 the inventory has errors or breached objectives, 2 lifeboat could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and validate an inventory and check every recovery objective.
    ///
    /// INPUTS are files or directories (a directory contributes its *.hcl and *.json
    /// files, not recursively); with none, the current directory.
    Check {
        inputs: Vec<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Show how the estimates of one asset are derived, scenario by scenario.
    Explain {
        /// The asset id.
        asset: String,
        inputs: Vec<PathBuf>,
    },
    /// Check the inventory and write the Terraform root module that implements it.
    ///
    /// Writes only files that carry lifeboat's header, removes only such files it no
    /// longer generates, and leaves every other file in DIR untouched.
    Compile {
        inputs: Vec<PathBuf>,
        /// Output directory.
        #[arg(short = 'o', long = "out", default_value = "dr")]
        out: PathBuf,
        /// Reference the modules remotely instead of copying them, e.g.
        /// `git::https://example.com/dr.git//modules/{module}?ref=v1.0.0`
        /// (`{module}` is replaced by the module name; without it `/<name>` is appended).
        #[arg(long)]
        module_source: Option<String>,
        /// Compare with what is in DIR and exit 1 if it is stale; write nothing.
        #[arg(long)]
        check: bool,
        /// Overwrite generated files even if they were edited by hand.
        #[arg(long)]
        force: bool,
        /// Allow a compile that drops resources holding or protecting data.
        #[arg(long)]
        allow_data_loss: bool,
        /// Leave out the generated `terraform test` suite (tests/lifeboat.tftest.hcl).
        #[arg(long)]
        no_tests: bool,
        /// If another compile is writing DIR, wait for it to finish (without this,
        /// exit 2).
        #[arg(long)]
        wait: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Draw the DR topology: both Regions, each asset and its recovery copy,
    /// dependencies, and the mechanism on every replication, copy or failover edge.
    Graph {
        inputs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
    },
    /// Play a disaster out on the model: recovery waves, per-asset timeline and
    /// data loss, total time to full service. Exit 1 if an objective is breached.
    Drill {
        inputs: Vec<PathBuf>,
        #[arg(long, value_enum)]
        scenario: ScenarioArg,
        #[arg(long, value_enum, default_value_t = DrillFormat::Text)]
        format: DrillFormat,
    },
    /// Report verdicts for a pull request: Markdown for a comment, JSON, or SARIF
    /// for code scanning. Exit 1 when there are findings.
    Report {
        inputs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
        format: ReportFormat,
        /// Another version of the inventory (e.g. the target branch's) to compare
        /// with: the report then lists what changed in mechanisms, estimates and verdicts.
        #[arg(long, num_args = 1..)]
        base: Vec<PathBuf>,
    },
    /// Write a commented starter lifeboat.hcl in the current directory.
    Init {
        /// Where to write it.
        #[arg(long, default_value = "lifeboat.hcl")]
        path: PathBuf,
    },
    /// Print the JSON Schema of the inventory's JSON form (for editors).
    Schema,
    /// Draft an inventory from Terraform: the JSON of `terraform show -json` (a state
    /// or a saved plan).
    ///
    /// Every aws_db_instance, Aurora aws_rds_cluster, aws_s3_bucket,
    /// aws_dynamodb_table, aws_efs_file_system and Route 53 failover record pair
    /// becomes an asset with the facts Terraform knows. What it cannot know (tiers,
    /// the recovery Region, the project name) is a "CHOOSE" placeholder that
    /// `lifeboat check` reports until it is replaced. Run it again after Terraform
    /// changes: it updates those facts in the draft and keeps everything else.
    /// Exit status: 0 written (or up to date), 1 the input or the draft cannot be
    /// used (or, with --check, the draft is out of date), 2 an I/O error.
    Import {
        /// The output of `terraform show -json` or `terraform show -json PLANFILE`;
        /// `-` reads standard input.
        input: PathBuf,
        /// The draft to write, or to update when it exists; `-` prints a new draft.
        #[arg(short = 'o', long = "out", default_value = "lifeboat.hcl")]
        out: PathBuf,
        /// The project's name (it becomes part of generated AWS names).
        #[arg(long)]
        project: Option<String>,
        /// The Region to recover into.
        #[arg(long)]
        secondary_region: Option<String>,
        /// The tier of every new asset, instead of a placeholder per asset.
        #[arg(long)]
        tier: Option<String>,
        /// The primary Region: resources elsewhere are listed, not imported
        /// (default: the draft's primary_region, else the Region with the most data assets).
        #[arg(long)]
        region: Option<String>,
        /// Write nothing; exit 1 if the draft is not up to date with Terraform.
        #[arg(long)]
        check: bool,
    },
    /// Record the restore times AWS Backup measured: read restore jobs (the JSON of
    /// `aws backup list-restore-jobs` or `aws backup describe-restore-job`) and write
    /// or update one `measurement` per asset in the measurements file.
    ///
    /// Each completed job is matched to the asset whose resource it restored (its
    /// SourceResourceArn, which describe-restore-job gives); per asset the measurement
    /// is the longest of its newest --latest jobs, dated by the newest. Commit the file
    /// with the inventory: `lifeboat check` then uses the measured restore times
    /// instead of the model's estimates, and warns when one is older than
    /// `measurement_max_age`. Exit status: 0 written (or up to date), 1 no job could be
    /// used or the file cannot be updated, 2 an I/O error.
    Measure {
        /// The inventory (files or directories); with none, the current directory.
        inputs: Vec<PathBuf>,
        /// A file of restore-job JSON (repeat for several; `-` reads standard input).
        #[arg(long = "jobs", required = true)]
        jobs: Vec<PathBuf>,
        /// The measurements file to write, or to update when it exists.
        #[arg(short = 'o', long = "out", default_value = "measurements.hcl")]
        out: PathBuf,
        /// How many of each asset's newest completed jobs count.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
        latest: u16,
    },
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish).
    ///
    /// e.g. `lifeboat completions bash > ~/.local/share/bash-completion/completions/lifeboat`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into a folder.
    ///
    /// e.g. `lifeboat man | man -l -`
    Man {
        /// Write lifeboat.1 and lifeboat-<command>.1 into this folder instead.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum GraphFormat {
    /// Mermaid flowchart (renders in GitHub Markdown).
    Mermaid,
    /// Graphviz DOT.
    Dot,
    /// Standalone SVG, drawn by lifeboat itself.
    Svg,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ReportFormat {
    Markdown,
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum DrillFormat {
    Text,
    /// Markdown with a table and a Mermaid gantt chart.
    Markdown,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ScenarioArg {
    Az,
    Region,
    Corruption,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// Source excerpts with carets and hints (color on a terminal).
    Human,
    /// One JSON document: diagnostics, summary and per-asset verdicts.
    Json,
    /// One line per diagnostic: file:line:col: severity[code]: message.
    Short,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Paths and values in the message are the user's: no raw control
            // characters reach the terminal.
            let _ = writeln!(
                std::io::stderr(),
                "lifeboat: error: {}",
                diag::printable(&format!("{err:#}"))
            );
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check { inputs, format } => {
            let analysis = crate::analyze(read_inputs(&inputs)?);
            print_check(&analysis, format)?;
            Ok(exit_for(&analysis))
        }
        Command::Explain { asset, inputs } => {
            let analysis = crate::analyze(read_inputs(&inputs)?);
            let mut out = std::io::stdout().lock();
            match crate::report::explain::explain(&analysis, &asset) {
                Ok(text) => {
                    out.write_all(text.as_bytes())?;
                    Ok(exit_for(&analysis))
                }
                Err(why) => {
                    print_diagnostics(&analysis, Format::Human)?;
                    writeln!(std::io::stderr(), "lifeboat: {why}")?;
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Compile {
            inputs,
            out,
            module_source,
            check,
            force,
            allow_data_loss,
            no_tests,
            wait,
            format,
        } => {
            let analysis = crate::analyze(read_inputs(&inputs)?);
            if analysis.has_errors() {
                print_check(&analysis, format)?;
                writeln!(std::io::stderr(), "lifeboat: nothing written")?;
                return Ok(ExitCode::from(1));
            }
            print_diagnostics(&analysis, format)?;
            let opts = crate::emit::Options {
                module_source,
                no_tests,
                inputs: header_inputs(&out, analysis.sources.files.iter().map(|f| &f.name)),
            };
            let flags = crate::write::Flags {
                check,
                force,
                allow_data_loss,
                wait,
            };
            // Files are produced, compared and written one at a time.
            let result = std::thread::scope(|scope| {
                let mut files = crate::emit::stream(scope, &analysis, &opts)?;
                crate::write::apply_from(&out, &mut files, flags)
            });
            // The process ends here: freeing the model one allocation at a time
            // (hundreds of MB at 100,000 assets) would only delay the exit. The OS
            // takes the memory back.
            std::mem::forget(analysis);
            let outcome = result?;
            print_outcome(&out, &outcome)?;
            Ok(if outcome.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Graph {
            inputs,
            format,
            out,
        } => {
            let analysis = crate::analyze(read_inputs(&inputs)?);
            let Some((inv, rec, dep)) = analysis.compiled() else {
                print_check(&analysis, Format::Human)?;
                return Ok(ExitCode::from(1));
            };
            let topo = crate::report::topology::build(inv, rec, dep);
            let text = match format {
                GraphFormat::Mermaid => crate::report::graph::mermaid(&topo),
                GraphFormat::Dot => crate::report::graph::dot(&topo),
                GraphFormat::Svg => crate::report::graph::svg(&topo),
            };
            match out {
                Some(path) => crate::write::write_file(&path, &text)?,
                None => std::io::stdout().lock().write_all(text.as_bytes())?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Drill {
            inputs,
            scenario,
            format,
        } => {
            let analysis = crate::analyze(read_inputs(&inputs)?);
            let (Some(inv), Some(rec)) = (&analysis.inventory, &analysis.recovery) else {
                print_check(&analysis, Format::Human)?;
                return Ok(ExitCode::from(1));
            };
            let scenario = match scenario {
                ScenarioArg::Az => crate::model::Scenario::Az,
                ScenarioArg::Region => crate::model::Scenario::Region,
                ScenarioArg::Corruption => crate::model::Scenario::Corruption,
            };
            let mut drill = crate::report::drill::run(inv, rec, scenario);
            if let Some(dep) = &analysis.deployment {
                drill = drill.with_plan(rec, dep);
            }
            let text = match format {
                DrillFormat::Text => crate::report::drill::text(&drill),
                DrillFormat::Markdown => crate::report::drill::markdown(&drill),
            };
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(if drill.breached() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Report {
            inputs,
            format,
            base,
        } => {
            let analysis = crate::analyze(read_inputs(&inputs)?);
            let base = if base.is_empty() {
                None
            } else {
                Some(crate::analyze(read_inputs(&base)?))
            };
            let mut out = std::io::stdout().lock();
            match format {
                ReportFormat::Markdown => {
                    out.write_all(crate::report::pr::markdown(&analysis, base.as_ref()).as_bytes())?
                }
                ReportFormat::Json => {
                    serde_json::to_writer_pretty(
                        &mut out,
                        &crate::report::pr::json(&analysis, base.as_ref()),
                    )?;
                    writeln!(out)?;
                }
                ReportFormat::Sarif => {
                    serde_json::to_writer_pretty(&mut out, &crate::report::pr::sarif(&analysis))?;
                    writeln!(out)?;
                }
            }
            Ok(exit_for(&analysis))
        }
        Command::Init { path } => init(&path),
        Command::Measure {
            inputs,
            jobs,
            out,
            latest,
        } => measure(&inputs, &jobs, &out, usize::from(latest)),
        Command::Import {
            input,
            out,
            project,
            secondary_region,
            tier,
            region,
            check,
        } => import(
            &input,
            &out,
            crate::import::Options {
                project,
                secondary_region,
                tier,
                region,
                source_name: if input == Path::new("-") {
                    "<stdin>".to_owned()
                } else {
                    display_name(&input)
                },
            },
            check,
        ),
        Command::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "lifeboat", &mut out);
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { dir } => {
            match dir {
                Some(dir) => {
                    std::fs::create_dir_all(&dir)
                        .with_context(|| format!("cannot create `{}`", dir.display()))?;
                    clap_mangen::generate_to(Cli::command(), &dir)
                        .with_context(|| format!("cannot write into `{}`", dir.display()))?;
                }
                None => {
                    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            let schema = crate::parse::editor_schema(crate::input::json_schema());
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &schema)?;
            writeln!(out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What `compile` did to the output folder, on standard error.
fn print_outcome(dir: &Path, outcome: &crate::write::Outcome) -> Result<()> {
    use crate::write::Outcome;
    let mut err = std::io::stderr().lock();
    let shown = |p: &str| diag::printable(&dir.join(p).display().to_string());
    let dir_shown = diag::printable(&dir.display().to_string());
    match outcome {
        Outcome::Written {
            files,
            changed,
            removed,
        } => writeln!(
            err,
            "lifeboat: wrote `{}`: {files} files ({changed} changed, {removed} removed)",
            dir_shown
        )?,
        Outcome::Checked {
            files,
            stale,
            missing,
            extra,
        } => {
            for (what, list) in [("stale", stale), ("missing", missing), ("extra", extra)] {
                for p in list {
                    writeln!(err, "{what}: {}", shown(p))?;
                }
            }
            if outcome.ok() {
                writeln!(
                    err,
                    "lifeboat: `{}` is up to date ({files} files)",
                    dir_shown
                )?;
            } else {
                writeln!(
                    err,
                    "lifeboat: `{}` is out of date: {} stale, {} missing, {} extra; run `lifeboat compile` to regenerate",
                    dir_shown,
                    stale.len(),
                    missing.len(),
                    extra.len()
                )?;
            }
        }
        Outcome::Foreign(paths) => {
            for p in paths {
                writeln!(
                    err,
                    "lifeboat: error: `{}` exists and was not written by lifeboat (no \"{}\" header); it is left untouched",
                    shown(p),
                    crate::emit::MARKER
                )?;
            }
            writeln!(
                err,
                "lifeboat: nothing written: move those files away or choose another output directory with -o"
            )?;
        }
        Outcome::InTheWay(paths) => {
            for p in paths {
                writeln!(
                    err,
                    "lifeboat: error: `{}` is in the way: lifeboat stages files under this name, but did not create this one; it is left untouched",
                    shown(p)
                )?;
            }
            writeln!(
                err,
                "lifeboat: nothing written: move those files away (if an interrupted compile of an older lifeboat left them, remove them)"
            )?;
        }
        Outcome::Edited(paths) => {
            for p in paths {
                writeln!(
                    err,
                    "lifeboat: error: `{}` was edited by hand since lifeboat wrote it",
                    shown(p)
                )?;
            }
            writeln!(
                err,
                "lifeboat: nothing written: move your changes into the inventory (or a separate .tf file), or pass --force to overwrite them"
            )?;
        }
        Outcome::DataLoss(lost) => {
            writeln!(
                err,
                "lifeboat: error: this compile would destroy resources that hold or protect data:"
            )?;
            for p in lost {
                let owner = if p.asset.is_empty() {
                    String::new()
                } else {
                    format!(" (asset `{}`)", diag::printable(&p.asset))
                };
                writeln!(err, "  - {}: {}{owner}", p.address, p.what)?;
            }
            writeln!(
                err,
                "lifeboat: nothing written. An asset was removed, renamed or lost a mechanism, or a resource that holds data would get another name or Region (Terraform replaces it). To rename an asset, add `previously = [\"<old id>\"]` to it; to destroy or replace on purpose, pass --allow-data-loss (prevent_destroy inside the modules does not help here: Terraform ignores it once the module call itself is gone.)"
            )?;
        }
        Outcome::NoManifest { damaged } => {
            let manifest = shown(crate::emit::manifest::PATH);
            writeln!(
                err,
                "lifeboat: error: `{manifest}` is {}, but `{}` holds files lifeboat generated: without it lifeboat cannot tell which resources hold data, nor which files were edited by hand",
                if *damaged {
                    "not a manifest lifeboat can read (truncated or edited)"
                } else {
                    "missing"
                },
                dir_shown
            )?;
            writeln!(
                err,
                "lifeboat: nothing written. Restore it from version control (e.g. `git checkout -- {manifest}`), or pass --allow-data-loss once you have checked with `terraform plan` that nothing holding data is destroyed"
            )?;
        }
    }
    Ok(())
}

/// A path as it may be printed (no terminal escapes).
fn shown(p: &Path) -> String {
    diag::printable(&p.display().to_string())
}

fn exit_for(a: &Analysis) -> ExitCode {
    if a.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Read the inventory files named by `inputs` (files or directories; none means
/// the current directory). I/O failures are errors (exit 2); files that are not
/// text become diagnostics.
pub fn read_inputs(inputs: &[PathBuf]) -> Result<Sources> {
    let default = [PathBuf::from(".")];
    let inputs = if inputs.is_empty() {
        &default[..]
    } else {
        inputs
    };
    let mut paths = Vec::new();
    for input in inputs {
        let meta =
            std::fs::metadata(input).with_context(|| format!("cannot read `{}`", shown(input)))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("cannot list `{}`", shown(input)))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("hcl" | "json"))
                })
                .collect();
            found.sort();
            if found.is_empty() {
                bail!(
                    "`{}` has no *.hcl or *.json files (run `lifeboat init` to start one)",
                    shown(input)
                );
            }
            paths.extend(found);
        } else {
            paths.push(input.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for path in &paths {
        let name = display_name(path);
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read `{name}`"))?;
        if !meta.is_file() {
            unreadable.push((name, "not a regular file".to_owned()));
            continue;
        }
        if meta.len() > MAX_FILE_BYTES {
            unreadable.push((
                name,
                format!(
                    "file is {} bytes; inventories are at most {MAX_FILE_BYTES}",
                    meta.len()
                ),
            ));
            continue;
        }
        // Read at most one byte more than allowed, whatever the file does meanwhile.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| {
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(f, MAX_FILE_BYTES + 1),
                    &mut bytes,
                )
            })
            .with_context(|| format!("cannot read `{name}`"))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            unreadable.push((
                name,
                format!("file grew beyond {MAX_FILE_BYTES} bytes while being read"),
            ));
            continue;
        }
        if bytes.contains(&0) {
            unreadable.push((name, "a binary file (it contains NUL bytes)".to_owned()));
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(text) => files.push(SourceFile::new(name, text)),
            Err(e) => unreadable.push((
                name,
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )),
        }
    }
    let mut sources = Sources::new(files);
    // Unreadable files still need a diagnostic with their name: add them as empty
    // files so the diagnostic has a location.
    for (name, why) in unreadable {
        sources.files.push(SourceFile::new(name, String::new()));
        sources.unreadable.push((sources.files.len() - 1, why));
    }
    Ok(sources)
}

/// How an input file is named in diagnostics and in the generated files' header:
/// relative to the current directory when it is inside it, without `.` parts or
/// doubled separators, so `inv/a.hcl`, `./inv//a.hcl` and `$PWD/inv/a.hcl` are the
/// same name (and `compile --check` does not see every file as stale when CI spells
/// the path differently).
/// The inventory files as the generated headers name them: relative to the output
/// directory, with `/` separators, sorted, so that the same inventory compiled into
/// the same tree gives the same bytes from any working directory, however the paths
/// were spelled (`compile --check` on another checkout agrees). A file with no
/// relative path to the output (another drive) is named by its file name alone.
fn header_inputs<'a>(out: &Path, names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let base = resolved(out);
    let mut v: Vec<String> = names
        .map(|name| {
            let path = Path::new(name);
            base.as_deref()
                .zip(resolved(path))
                .and_then(|(base, target)| relative(base, &target))
                .unwrap_or_else(|| {
                    path.file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_else(|| name.clone())
                })
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// `path` made absolute without symbolic links: the longest existing prefix is
/// canonicalized and the rest (an output directory not created yet) appended.
fn resolved(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut p = real;
            for c in rest.iter().rev() {
                match c {
                    std::path::Component::ParentDir => {
                        p.pop();
                    }
                    std::path::Component::Normal(n) => p.push(n),
                    _ => {}
                }
            }
            return Some(p);
        }
        rest.push(existing.components().next_back()?);
        existing = existing.parent()?;
    }
}

/// The path from directory `base` to `target`, both absolute and normalized,
/// written with `/`; `None` when they share no root.
fn relative(base: &Path, target: &Path) -> Option<String> {
    use std::path::Component::Normal;
    let b: Vec<_> = base.components().collect();
    let t: Vec<_> = target.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    if common == 0
        || b[common..]
            .iter()
            .chain(&t[common..])
            .any(|c| !matches!(c, Normal(_)))
    {
        return None;
    }
    let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), b.len() - common)
        .chain(
            t[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect();
    Some(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

fn display_name(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let clean: PathBuf = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if clean.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        clean.display().to_string()
    }
}

fn print_diagnostics(a: &Analysis, format: Format) -> Result<()> {
    let mut err = std::io::stderr().lock();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in a.diagnostics.sorted() {
        match format {
            Format::Human => write!(err, "{}", diag::render_human(d, &a.sources, color))?,
            Format::Short => writeln!(err, "{}", diag::render_short(d, &a.sources))?,
            Format::Json => {}
        }
    }
    Ok(())
}

fn summary(a: &Analysis) -> String {
    let e = a.diagnostics.error_count();
    let w = a.diagnostics.warning_count();
    let plural = |n: usize, s: &str| format!("{n} {s}{}", if n == 1 { "" } else { "s" });
    if e > 0 {
        format!(
            "lifeboat: {} and {} found",
            plural(e, "error"),
            plural(w, "warning")
        )
    } else {
        let assets = a.inventory.as_ref().map_or(0, |i| i.assets.len());
        let scenarios = || {
            a.recovery
                .iter()
                .flat_map(|r| &r.assets)
                .flat_map(|x| &x.scenarios)
                .filter(|s| s.objective.rpo.is_some() || s.objective.rto.is_some())
        };
        let met = scenarios().filter(|s| !s.breached()).count();
        let accepted = scenarios().filter(|s| s.accepted()).count();
        format!(
            "lifeboat: ok: {} checked, {} met{}{}",
            plural(assets, "asset"),
            plural(met, "scenario objective"),
            if accepted > 0 {
                format!(
                    ", {} accepted as {}",
                    plural(accepted, "breached scenario"),
                    if accepted == 1 {
                        "a known risk"
                    } else {
                        "known risks"
                    }
                )
            } else {
                String::new()
            },
            if w > 0 {
                format!(", {}", plural(w, "warning"))
            } else {
                String::new()
            }
        )
    }
}

fn print_check(a: &Analysis, format: Format) -> Result<()> {
    if format == Format::Json {
        let doc = crate::report::explain::json_report(a);
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(());
    }
    print_diagnostics(a, format)?;
    writeln!(std::io::stderr(), "{}", summary(a))?;
    Ok(())
}

const STARTER: &str = include_str!("../templates/init/lifeboat.hcl");

fn init(path: &Path) -> Result<ExitCode> {
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let d = Diagnostic::new(
                Code::InputFile,
                None,
                format!(
                    "`{}` already exists; lifeboat init leaves it untouched",
                    shown(path)
                ),
            )
            .hint("edit it, or remove it and run `lifeboat init` again");
            write!(
                std::io::stderr(),
                "{}",
                diag::render_human(&d, &Sources::default(), false)
            )?;
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create `{}`", shown(path))),
    };
    file.write_all(STARTER.as_bytes())?;
    writeln!(
        std::io::stderr(),
        "lifeboat: wrote {}; check it with `lifeboat check`",
        shown(path)
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Largest `terraform show -json` output read (bytes).
const MAX_TERRAFORM_JSON: u64 = 1024 * 1024 * 1024;

/// `lifeboat import`: read Terraform's JSON and the draft, write the new draft.
fn import(input: &Path, out: &Path, opts: crate::import::Options, check: bool) -> Result<ExitCode> {
    use crate::import::{Change, Severity};
    use crate::model::lower::names::valid_region;
    for (flag, value) in [
        ("--region", &opts.region),
        ("--secondary-region", &opts.secondary_region),
    ] {
        if let Some(r) = value
            && !valid_region(r)
        {
            bail!("{flag} `{r}` is not an AWS Region code (e.g. `us-east-1`)");
        }
    }
    let mut bytes = Vec::new();
    let name = opts.source_name.clone();
    if input == Path::new("-") {
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin().lock(), MAX_TERRAFORM_JSON),
            &mut bytes,
        )
        .context("cannot read standard input")?;
    } else {
        std::fs::File::open(input)
            .and_then(|f| {
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(f, MAX_TERRAFORM_JSON),
                    &mut bytes,
                )
            })
            .with_context(|| format!("cannot read `{}`", input.display()))?;
    }
    let to_stdout = out == Path::new("-");
    let out_name = display_name(out);
    let existing = if to_stdout {
        None
    } else {
        match std::fs::read(out) {
            Ok(b) => Some(
                String::from_utf8(b)
                    .map_err(|_| anyhow::anyhow!("`{out_name}` is not UTF-8 text"))?,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read `{out_name}`")),
        }
    };
    let mut err = std::io::stderr().lock();
    let Ok(json) = std::str::from_utf8(&bytes) else {
        writeln!(
            err,
            "lifeboat: error: `{name}` is not UTF-8 text, so not the output of `terraform show -json`"
        )?;
        return Ok(ExitCode::from(1));
    };
    let show = |err: &mut std::io::StderrLock<'_>, f: &crate::import::Finding| -> Result<()> {
        if let Some((line, col)) = f.location {
            let (file, text) = if f.in_draft {
                (out_name.clone(), existing.clone().unwrap_or_default())
            } else {
                (name.clone(), json.to_owned())
            };
            let source = SourceFile::new(file, text);
            let at = source.offset_of(line, col);
            let sources = Sources::new(vec![source]);
            let end = (at + 1).min(sources.files[0].text.len()).max(at);
            let mut d = Diagnostic::new(
                Code::Syntax,
                crate::source::Span::new(0, at..end),
                &f.message,
            );
            if let Some(h) = &f.hint {
                d = d.hint(h.clone());
            }
            return Ok(write!(err, "{}", diag::render_human(&d, &sources, false))?);
        }
        let severity = match f.severity {
            Severity::Internal => "internal error",
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &f.address {
            Some(a) => writeln!(err, "{severity}: {a}: {}", f.message)?,
            None => writeln!(err, "{severity}: {}", f.message)?,
        }
        if let Some(h) = &f.hint {
            writeln!(err, "  = hint: {h}")?;
        }
        Ok(())
    };
    let outcome = match crate::import::import(json, existing.as_deref(), &opts) {
        Ok(o) => o,
        Err(findings) => {
            for f in &findings {
                show(&mut err, f)?;
            }
            writeln!(err, "lifeboat: nothing written")?;
            let internal = findings.iter().any(|f| f.severity == Severity::Internal);
            return Ok(ExitCode::from(if internal { 2 } else { 1 }));
        }
    };
    for f in &outcome.warnings {
        show(&mut err, f)?;
    }
    if !outcome.ignored.is_empty() || outcome.skipped > 0 {
        let mut list: Vec<String> = outcome
            .ignored
            .iter()
            .map(|(t, n)| format!("{t} ({n})"))
            .collect();
        if outcome.skipped > 0 {
            list.push(format!(
                "data sources and deposed objects ({})",
                outcome.skipped
            ));
        }
        writeln!(
            err,
            "lifeboat: not assets, not imported: {}",
            list.join(", ")
        )?;
    }
    let unchanged = existing.as_deref() == Some(outcome.text.as_str());
    let mut gone = false;
    for c in &outcome.changes {
        match c {
            Change::Added { id, address } => writeln!(err, "  added: asset `{id}` ({address})")?,
            Change::Updated {
                id,
                attribute,
                old,
                new,
            } => {
                let what = if id.is_empty() {
                    format!("project {attribute}")
                } else {
                    format!("`{id}` {attribute}")
                };
                let (old, new) = (
                    old.as_deref().unwrap_or("(not set)"),
                    new.as_deref().unwrap_or("(removed)"),
                );
                writeln!(err, "  updated: {what}: {old} -> {new}")?
            }
            Change::Linked { id, address } => {
                writeln!(err, "  linked: asset `{id}` is {address} (same identity)")?
            }
            Change::Gone { id, address } => {
                gone = true;
                writeln!(
                    err,
                    "  gone: asset `{id}` came from {address}, which is no longer in Terraform; it stays in the draft until you remove it"
                )?
            }
        }
    }
    let kinds: Vec<String> = outcome
        .assets
        .iter()
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    let total: usize = outcome.assets.values().sum();
    let left = match outcome.placeholders {
        0 => "no decisions left".to_owned(),
        1 => "1 decision left (`grep -n CHOOSE`)".to_owned(),
        n => format!("{n} decisions left (`grep -n CHOOSE`)"),
    };
    if to_stdout {
        std::io::stdout()
            .lock()
            .write_all(outcome.text.as_bytes())?;
        writeln!(
            err,
            "lifeboat: {total} assets from {} ({}); {left}",
            outcome.form.describe(),
            kinds.join(", ")
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if check {
        if unchanged && !gone {
            writeln!(err, "lifeboat: `{out_name}` is up to date with `{name}`")?;
            return Ok(ExitCode::SUCCESS);
        }
        writeln!(
            err,
            "lifeboat: `{out_name}` is out of date with `{name}`{}; run `lifeboat import {name} -o {out_name}`",
            if existing.is_none() {
                " (it does not exist)"
            } else {
                ""
            }
        )?;
        return Ok(ExitCode::from(1));
    }
    if unchanged {
        writeln!(
            err,
            "lifeboat: `{out_name}` is up to date with `{name}`; {left}"
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    write_atomically(out, outcome.text.as_bytes())
        .with_context(|| format!("cannot write `{out_name}`"))?;
    if outcome.merged {
        let n = outcome
            .changes
            .iter()
            .filter(|c| !matches!(c, Change::Gone { .. }))
            .count();
        writeln!(
            err,
            "lifeboat: updated `{out_name}`: {n} change{}; {left}",
            if n == 1 { "" } else { "s" }
        )?;
    } else {
        writeln!(
            err,
            "lifeboat: wrote `{out_name}`: {total} assets from {} ({}); {left}; next: `lifeboat check {out_name}`",
            outcome.form.describe(),
            kinds.join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `lifeboat measure`: read the inventory, the jobs and the measurements file;
/// write the updated file.
fn measure(inputs: &[PathBuf], jobs: &[PathBuf], out: &Path, latest: usize) -> Result<ExitCode> {
    use crate::measure::Skip;
    let analysis = crate::analyze(read_inputs(inputs)?);
    let mut err = std::io::stderr().lock();
    let Some(inv) = &analysis.inventory else {
        drop(err);
        print_check(&analysis, Format::Human)?;
        writeln!(
            std::io::stderr(),
            "lifeboat: the inventory cannot be read, so restore jobs cannot be matched to its assets; nothing written"
        )?;
        return Ok(ExitCode::from(1));
    };
    let mut all = Vec::new();
    for path in jobs {
        let name = if path == Path::new("-") {
            "<stdin>".to_owned()
        } else {
            display_name(path)
        };
        let mut bytes = Vec::new();
        if path == Path::new("-") {
            std::io::Read::read_to_end(
                &mut std::io::Read::take(std::io::stdin().lock(), MAX_FILE_BYTES),
                &mut bytes,
            )
            .context("cannot read standard input")?;
        } else {
            std::fs::File::open(path)
                .and_then(|f| {
                    std::io::Read::read_to_end(
                        &mut std::io::Read::take(f, MAX_FILE_BYTES),
                        &mut bytes,
                    )
                })
                .with_context(|| format!("cannot read `{name}`"))?;
        }
        let read = std::str::from_utf8(&bytes)
            .map_err(|_| "not UTF-8 text".to_owned())
            .and_then(crate::measure::jobs::read);
        match read {
            Ok(mut j) => all.append(&mut j),
            Err(why) => {
                writeln!(
                    err,
                    "lifeboat: error: `{}` is not restore-job JSON: {}",
                    diag::printable(&name),
                    diag::printable(&why)
                )?;
                writeln!(err, "lifeboat: nothing written")?;
                return Ok(ExitCode::from(1));
            }
        }
    }
    let out_name = display_name(out);
    let existing = match std::fs::read(out) {
        Ok(b) => Some(
            String::from_utf8(b).map_err(|_| anyhow::anyhow!("`{out_name}` is not UTF-8 text"))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read `{out_name}`")),
    };
    let opts = crate::measure::Options { latest };
    let outcome = match crate::measure::measure(
        inv,
        &all,
        existing.as_deref().map(|t| (out_name.as_str(), t)),
        &opts,
    ) {
        Ok(o) => o,
        Err(refusal) => {
            writeln!(err, "lifeboat: error: {}", diag::printable(&refusal.0))?;
            writeln!(err, "lifeboat: nothing written")?;
            return Ok(ExitCode::from(1));
        }
    };
    for (why, ids) in &outcome.skipped {
        let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
        writeln!(
            err,
            "  not counted: {} job{} {}: {}{}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            why.describe(),
            diag::printable(&shown.join(", ")),
            if ids.len() > shown.len() { ", ..." } else { "" }
        )?;
        if *why == Skip::NoSource {
            writeln!(
                err,
                "    = hint: describe each job and give lifeboat those: `aws backup describe-restore-job --restore-job-id <id>`"
            )?;
        }
    }
    for (id, (old, new)) in &outcome.changed {
        let old = old.as_ref().map_or("(none)".to_owned(), |m| {
            format!("{} ({})", m.restore, m.date)
        });
        writeln!(
            err,
            "  {}: restore {old} -> {} ({}, the longest of {} job{})",
            id,
            new.restore,
            new.date,
            new.jobs.len(),
            if new.jobs.len() == 1 { "" } else { "s" }
        )?;
    }
    if outcome.counted.is_empty() {
        writeln!(
            err,
            "lifeboat: no completed restore job of an asset of the inventory; nothing written"
        )?;
        return Ok(ExitCode::from(1));
    }
    if existing.as_deref() == Some(outcome.text.as_str()) {
        writeln!(err, "lifeboat: `{out_name}` is up to date")?;
        return Ok(ExitCode::SUCCESS);
    }
    write_atomically(out, outcome.text.as_bytes())
        .with_context(|| format!("cannot write `{out_name}`"))?;
    let n = outcome.changed.len();
    writeln!(
        err,
        "lifeboat: {} `{out_name}`: {n} measurement{}; next: `lifeboat check` with it among the inputs",
        if existing.is_some() {
            "updated"
        } else {
            "wrote"
        },
        if n == 1 { "" } else { "s" }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Write `bytes` to `path` through a temporary file in the same folder and a
/// rename, so a reader never sees half a draft.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.lifeboat-import.tmp"));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths_go_up_then_down() {
        let cases = [
            ("/r/out/dr", "/r/inv/a.hcl", Some("../../inv/a.hcl")),
            ("/r", "/r/inv/a.hcl", Some("inv/a.hcl")),
            ("/r/inv", "/r/inv/a.hcl", Some("a.hcl")),
            ("/r/inv/out", "/r/inv/a.hcl", Some("../a.hcl")),
            ("/r/a", "/r/a", Some(".")),
        ];
        for (base, target, want) in cases {
            assert_eq!(
                relative(Path::new(base), Path::new(target)).as_deref(),
                want,
                "{base} -> {target}"
            );
        }
    }
}
