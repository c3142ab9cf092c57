//! `kubectl lbgen import`: existing Services and Ingresses in, lbgen specs out (stdout or
//! one file per spec), with the report of what became of every field and annotation on
//! stderr (`-o json` and `--report FILE` carry it as JSON; `--strict` fails on anything
//! not mapped).

use super::inputs::provider_parser;
use super::outcome::{Ended, Failure, Success};
use super::{output, report};
use clap::Args;
use lbgen::emit::{self, Format};
use lbgen::import::{Imported, Options, import};
use lbgen::provider::ProviderId;
use lbgen::spec::load::read_inputs;
use lbgen::spec::values::Namespace;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// Manifest files or directories (recursive *.yaml, *.yml), or - for stdin; repeatable.
    #[arg(
        short = 'f',
        long = "filename",
        value_name = "PATH|DIR|-",
        required = true
    )]
    files: Vec<String>,
    /// Whose annotations the objects carry: detected per object (`auto`), or one provider.
    #[arg(long, value_name = "auto|PROVIDER", value_parser = auto_or_provider)]
    provider: Option<Provider>,
    /// Translate every imported spec to PROVIDER: the target's capability rules judge it,
    /// and the report says what does not carry over (the source's raw annotations never do).
    #[arg(long, value_name = "PROVIDER", value_parser = provider_parser())]
    to: Option<ProviderId>,
    /// Namespace of objects that name none.
    #[arg(short = 'n', long, value_parser = |s: &str| Namespace::parse(s))]
    namespace: Option<Namespace>,
    /// The target cluster's version (`v1.28.15-r20`), written to every imported spec's
    /// spec.cluster.version: the manifests do not carry it, and the packs' version gates
    /// and Ingress forms depend on it. Without it, only what an object's form implies.
    #[arg(long, value_name = "VERSION", value_parser = cluster_version)]
    cluster_version: Option<String>,
    /// Write one file per spec below DIR (NAMESPACE/loadbalancer-KIND-NAME.yaml) instead of stdout.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Output format (json: a List with the report beside its items).
    #[arg(short = 'o', long = "output", value_enum, default_value = "yaml")]
    output: OutputFormat,
    /// Also write the report as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Exit 2 (after writing the output and the report) when anything is not `mapped`.
    #[arg(long)]
    strict: bool,
}

/// `--provider auto` or a registered provider.
#[derive(Debug, Clone, Copy)]
enum Provider {
    Auto,
    One(ProviderId),
}

fn auto_or_provider(text: &str) -> Result<Provider, String> {
    if text == "auto" {
        return Ok(Provider::Auto);
    }
    let parser = provider_parser();
    let command = clap::Command::new("import");
    clap::builder::TypedValueParser::parse_ref(&parser, &command, None, std::ffi::OsStr::new(text))
        .map(Provider::One)
        .map_err(|_| {
            format!(
                "`{text}` is not `auto` or a provider ({})",
                lbgen::provider::registry().ids_sentence()
            )
        })
}

/// A version as `spec.cluster.version` takes it, kept as written.
fn cluster_version(text: &str) -> Result<String, String> {
    lbgen::spec::version::ClusterVersion::parse(text).map(|_| text.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    /// A `---` separated YAML stream.
    Yaml,
    /// A `v1` `List` (pretty JSON) with a `report` field.
    Json,
}

pub(crate) fn execute(args: ImportArgs) -> Ended {
    let inputs = read_inputs(&args.files, &mut std::io::stdin())?;
    if !inputs.notes.is_empty() {
        report::to_stderr(&inputs.notes, &[]);
    }
    let options = Options {
        provider: match args.provider {
            Some(Provider::One(p)) => Some(p),
            Some(Provider::Auto) | None => None,
        },
        namespace: args.namespace.as_ref().map(|n| n.0.clone()),
        to: args.to,
        cluster_version: args.cluster_version.clone(),
    };
    let imported = import(&inputs.sources, &options)
        .map_err(|d| Failure::invalid(d).quoting(inputs.sources.clone()))?;
    let format = match args.output {
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Json => Format::Json,
    };
    match &args.out_dir {
        Some(dir) => {
            emit::write_files(dir, &files(&imported, format)?)?;
        }
        None => output::stdout_plain(&stream(&imported, format)?)?,
    }
    let _ = write!(anstream::stderr(), "{}", imported.report.to_text());
    if let Some(path) = &args.report {
        let mut json = serde_json::to_string_pretty(&imported.report).unwrap_or_default();
        json.push('\n');
        std::fs::write(path, json).map_err(|e| {
            Failure::error(
                "import/report",
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
    }
    if args.strict && imported.report.has_unmapped() {
        return Err(Failure::error(
            "import/strict",
            "--strict: some fields or annotations were not mapped to spec fields (see the report above)",
        )
        .in_one_line());
    }
    Ok(Success::Clean)
}

fn stream(imported: &Imported, format: Format) -> Result<String, emit::EmitError> {
    let objects: Vec<emit::Object> = imported.outputs.iter().map(|o| o.object.clone()).collect();
    match format {
        Format::Yaml => emit::to_stream(&objects, Format::Yaml),
        Format::Json => {
            let list = serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": objects.iter().map(|o| &o.0).collect::<Vec<_>>(),
                "report": imported.report,
            });
            let mut s = serde_json::to_string_pretty(&list)?;
            s.push('\n');
            Ok(s)
        }
    }
}

/// One file per output document: a spec named from its object's namespace, kind and name
/// (validated identities only, so no name can leave the directory).
fn files(imported: &Imported, format: Format) -> Result<Vec<(PathBuf, String)>, emit::EmitError> {
    let mut out = Vec::new();
    for output in &imported.outputs {
        let id = match &output.id {
            Some(id) => id.clone(),
            None => output
                .object
                .id()
                .map_err(|e| emit::EmitError::Identity(output.object.describe(), e))?,
        };
        let path = if output.imported {
            let ns = id.namespace().unwrap_or("default");
            let ext = if format == Format::Json {
                "json"
            } else {
                "yaml"
            };
            PathBuf::from(ns).join(format!(
                "loadbalancer-{}-{}.{ext}",
                id.api().kind().to_ascii_lowercase(),
                id.name()
            ))
        } else {
            emit::file_name(&id, format)
        };
        let text = match format {
            Format::Yaml => emit::to_yaml(&output.object)?,
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&output.object.0)?;
                s.push('\n');
                s
            }
        };
        out.push((path, text));
    }
    out.sort();
    Ok(out)
}
