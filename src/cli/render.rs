//! `kubectl lbgen render`: specs in, objects out (stdout or one file per object).

use super::{Outcome, report};
use clap::Args;
use lbgen::emit::{self, Format};
use lbgen::plan::Overrides;
use lbgen::render::Renderer;
use lbgen::spec::load::read_sources;
use lbgen::spec::model::Provider;
use lbgen::spec::values::Namespace;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// Spec files or directories (recursive *.yaml, *.yml), or - for stdin; repeatable.
    #[arg(
        short = 'f',
        long = "filename",
        required = true,
        value_name = "PATH|DIR|-"
    )]
    files: Vec<String>,
    /// Provider for every spec, overriding spec.provider.
    #[arg(long, value_enum)]
    provider: Option<Provider>,
    /// Namespace for specs that do not set metadata.namespace (default: "default").
    #[arg(short = 'n', long, value_parser = |s: &str| Namespace::parse(s))]
    namespace: Option<Namespace>,
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
    let sources = match read_sources(&args.files, &mut std::io::stdin()) {
        Ok(s) => s,
        Err(d) => {
            report::to_stderr(&[d], &[]);
            return Outcome::Invalid;
        }
    };
    let policies = match lbgen::policy::builtin() {
        Ok(p) => p,
        Err(d) => {
            report::to_stderr(&d, &[]);
            return Outcome::Invalid;
        }
    };
    let overrides = Overrides {
        provider: args.provider,
        namespace: args.namespace.map(|n| n.0),
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
