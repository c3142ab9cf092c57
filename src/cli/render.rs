//! `kubectl lbgen render`: specs in, objects out (stdout or one file per object).

use super::inputs::SpecInputs;
use super::outcome::{Ended, Success};
use super::output;
use clap::Args;
use lbgen::emit::{self, Format};
use lbgen::render::Renderer;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    #[command(flatten)]
    inputs: SpecInputs,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value = "yaml")]
    output: OutputFormat,
    /// Write one file per object below DIR (NAMESPACE/KIND-NAME.yaml) instead of stdout.
    #[arg(long, value_name = "DIR", conflicts_with = "check_dir")]
    out_dir: Option<PathBuf>,
    /// Write nothing; exit 1 if DIR differs from a fresh --out-dir rendering (stale,
    /// missing or extra files), 0 if it is current. For committed renderings (Flux).
    #[arg(long, value_name = "DIR")]
    check_dir: Option<PathBuf>,
    /// Read templates from DIR (PROVIDER/KIND.yaml) before the built-in ones.
    #[arg(long, value_name = "DIR")]
    template_dir: Option<PathBuf>,
}

/// `--output`: the flag's values for [`Format`] (the library knows no clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    /// A `---` separated YAML stream.
    Yaml,
    /// A `v1` `List` (pretty JSON), as `kubectl get -o json` prints several objects.
    Json,
}

impl From<OutputFormat> for Format {
    fn from(format: OutputFormat) -> Format {
        match format {
            OutputFormat::Yaml => Format::Yaml,
            OutputFormat::Json => Format::Json,
        }
    }
}

impl RenderArgs {
    /// Render `inputs` as one YAML stream on stdout, the built-in templates, nothing else:
    /// what the GitOps entry points run.
    pub(crate) fn stream(inputs: SpecInputs) -> Self {
        RenderArgs {
            inputs,
            output: OutputFormat::Yaml,
            out_dir: None,
            check_dir: None,
            template_dir: None,
        }
    }
}

pub(crate) fn execute(args: RenderArgs) -> Ended {
    let format = Format::from(args.output);
    let compiled = args
        .inputs
        .load()?
        .compile(&Renderer::new(args.template_dir.clone()))?;
    if let Some(dir) = &args.check_dir {
        return check_dir(dir, &compiled, format);
    }
    // Pending patches never go to stdout (a partial object there would be applied as a
    // whole one); below --out-dir they are files of their own (lbgen::patch).
    match &args.out_dir {
        Some(dir) => {
            let removed = emit::write_files(dir, &files(&compiled, format)?)?;
            say_removed(dir, &removed);
        }
        None => output::stdout_plain(&emit::to_stream(&compiled.objects, format)?)?,
    }
    // The process ends here: freeing every object, plan and diagnostic one by one was 4 %
    // of a 10,000-spec run (all on one core), and the system takes the memory back at exit.
    std::mem::forget(compiled);
    Ok(Success::Clean)
}

/// Names, on stderr, the files of an earlier rendering that this one removed (objects no
/// spec renders any more): a GitOps directory must not keep them alive, and the user must
/// see that they went.
fn say_removed(dir: &std::path::Path, removed: &[PathBuf]) {
    let mut err = anstream::stderr();
    for path in removed {
        let _ = writeln!(
            err,
            "removed: {} (no spec renders it any more)",
            dir.join(path).display()
        );
    }
}

/// Every file of an `--out-dir` rendering: the objects, then the pending patches under
/// `<namespace>/patches/`.
fn files(
    compiled: &lbgen::Compiled,
    format: Format,
) -> Result<Vec<(PathBuf, String)>, emit::EmitError> {
    let mut files = emit::to_files(&compiled.objects, format)?;
    for patch in &compiled.patches {
        let one = emit::to_files(std::slice::from_ref(&patch.object), format)?;
        let id = patch
            .object
            .id()
            .map_err(|e| emit::EmitError::Identity(patch.object.describe(), e))?;
        for (_, text) in one {
            files.push((lbgen::patch::file_name(&id, format), text));
        }
    }
    files.sort();
    Ok(files)
}

/// `--check-dir`: name every drifted file on stderr and say how to fix it.
fn check_dir(dir: &std::path::Path, compiled: &lbgen::Compiled, format: Format) -> Ended {
    let drift = emit::compare_dir(dir, &files(compiled, format)?, format)?;
    if drift.is_empty() {
        return Ok(Success::Clean);
    }
    let mut err = anstream::stderr();
    for d in &drift {
        let line = match d {
            emit::Drift::Missing(p) => format!("missing: {}", dir.join(p).display()),
            emit::Drift::Stale(p) => format!("stale:   {}", dir.join(p).display()),
            emit::Drift::Extra(p) => format!(
                "extra:   {} (no spec renders it; delete it)",
                dir.join(p).display()
            ),
        };
        let _ = writeln!(err, "{line}");
    }
    let _ = writeln!(
        err,
        "{} is out of date with its specs ({} file{}); re-render with --out-dir {} and commit",
        dir.display(),
        drift.len(),
        if drift.len() == 1 { "" } else { "s" },
        dir.display()
    );
    Ok(Success::Differs)
}
