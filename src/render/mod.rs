//! Templates -> Kubernetes objects, checked against the upstream types.
//!
//! Templates are compiled into the binary (`templates/<provider>/<kind>.yaml`, found
//! through the provider registry); with `--template-dir` a file of the same name there
//! wins. Every interpolated value is
//! JSON-encoded by the auto-escape callback, user overrides included, so a label holding
//! `\n` or `: ` stays one string. The rendered YAML is parsed back, read into the
//! `k8s-openapi` type of its kind and written out again: a field the type does not know
//! (a template typo) is an error, not a silently dropped setting.

mod typed;

pub(crate) use typed::round_trip;

use crate::provider::Manifest;
use minijinja::{AutoEscape, Environment, Value as JinjaValue};
use std::path::{Component, Path, PathBuf};

/// Why an object could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// A template failed to load or render.
    #[error("template `{template}`: {message}")]
    Template {
        /// Template name.
        template: String,
        /// The engine's message.
        message: String,
    },
    /// The rendered text is not the object its kind requires.
    #[error("template `{template}` produced an invalid object: {message}")]
    Invalid {
        /// Template name.
        template: String,
        /// What is wrong, with the field path.
        message: String,
    },
}

/// A template of `--template-dir`, if it has one of this name. The name (from lbgen, or
/// from an `include`/`import`/`extends` in a user's template) must be a plain relative path
/// (`<provider>/service.yaml`): absolute names, `..`, `.` and backslashes are refused, and a
/// file reached through a symlink must still be inside the directory, so a template in a
/// pull request cannot read `/etc/passwd` or the repo-server's credentials.
fn read_override(dir: &Path, name: &str) -> Result<Option<String>, minijinja::Error> {
    // Not `TemplateNotFound`: minijinja replaces that one's message with its own.
    let refuse = |why: &str| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!(
                "template name `{}` {why}; use a plain relative path inside --template-dir such as `{}/service.yaml`",
                name.escape_debug(),
                crate::provider::registry()
                    .ids()
                    .first()
                    .copied()
                    .unwrap_or("PROVIDER")
            ),
        )
    };
    let plain = !name.is_empty()
        && !name.contains('\\')
        && Path::new(name)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err(refuse("is not a plain relative path"));
    }
    let path = dir.join(name);
    let cannot_read = |e: std::io::Error| {
        minijinja::Error::new(
            minijinja::ErrorKind::TemplateNotFound,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    let real = match path.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_read(e)),
    };
    let root = dir.canonicalize().map_err(cannot_read)?;
    if !real.starts_with(&root) {
        return Err(refuse("leads outside --template-dir (through a symlink)"));
    }
    std::fs::read_to_string(&real)
        .map(Some)
        .map_err(cannot_read)
}

/// The template environment, built once per run.
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    /// Templates from the binary, overridden per file by `template_dir`.
    pub fn new(template_dir: Option<PathBuf>) -> Renderer {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Json);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_loader(move |name| {
            if let Some(dir) = &template_dir
                && let Some(text) = read_override(dir, name)?
            {
                return Ok(Some(text));
            }
            Ok(crate::provider::registry()
                .template(name)
                .map(str::to_string))
        });
        Renderer { env }
    }

    /// Renders one manifest into a checked Kubernetes object (as JSON).
    pub fn render(&self, manifest: &Manifest) -> Result<serde_json::Value, RenderError> {
        let template_error = |e: minijinja::Error| RenderError::Template {
            template: manifest.template.clone(),
            message: e.to_string(),
        };
        let template = self
            .env
            .get_template(&manifest.template)
            .map_err(template_error)?;
        let text = template
            .render(JinjaValue::from(minijinja::value::Serde(&manifest.context)))
            .map_err(template_error)?;
        let invalid = |message: String| RenderError::Invalid {
            template: manifest.template.clone(),
            message,
        };
        let docs = crate::yaml::node::parse_stream(&text)
            .map_err(|e| invalid(format!("not YAML at line {}: {}", e.span.line, e.message)))?;
        let [Some(root)] = docs.as_slice() else {
            return Err(invalid("expected exactly one document".into()));
        };
        typed::check(root.to_json()).map_err(invalid)
    }
}
