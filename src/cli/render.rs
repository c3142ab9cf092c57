//! `kubectl lbgen render`: specs in, objects out (stdout or one file per object).

use super::inputs::{Loaded, SpecInputs};
use super::{Outcome, report};
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
    output: Format,
    /// Write one file per object below DIR (<namespace>/<kind>-<name>.yaml) instead of stdout.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Read templates from DIR (<provider>/<kind>.yaml) before the built-in ones.
    #[arg(long, value_name = "DIR")]
    template_dir: Option<PathBuf>,
}

pub(crate) fn execute(args: RenderArgs) -> Outcome {
    let Some(Loaded {
        sources,
        policies,
        overrides,
    }) = args.inputs.load()
    else {
        return Outcome::Invalid;
    };
    let renderer = Renderer::new(args.template_dir.clone());
    let compiled = match lbgen::compile(&sources, &overrides, &policies, &renderer) {
        Ok(c) => c,
        Err(diagnostics) => {
            report::to_stderr(&diagnostics, &sources);
            return Outcome::Invalid;
        }
    };
    report::to_stderr(&compiled.diagnostics, &sources);
    let written = match &args.out_dir {
        Some(dir) => emit::to_files(&compiled.objects, args.output)
            .and_then(|files| emit::write_files(dir, &files)),
        None => emit::to_stream(&compiled.objects, args.output).map(|text| {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not a failure.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
        }),
    };
    match written {
        Ok(()) => Outcome::Success,
        Err(e) => {
            report::to_stderr(
                &[lbgen::diag::Diagnostic::error(
                    "emit/io",
                    e.to_string(),
                    None,
                )],
                &[],
            );
            Outcome::Invalid
        }
    }
}
