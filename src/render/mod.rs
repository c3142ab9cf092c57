//! Templates -> Kubernetes objects, checked against the upstream types.
//!
//! Templates are compiled into the binary (`templates/<provider>/<kind>.yaml`); with
//! `--template-dir` a file of the same name there wins. Every interpolated value is
//! JSON-encoded by the auto-escape callback, user overrides included, so a label holding
//! `\n` or `: ` stays one string. The rendered YAML is parsed back, read into the
//! `k8s-openapi` type of its kind and written out again: a field the type does not know
//! (a template typo) is an error, not a silently dropped setting.

mod crd;
mod typed;

use crate::provider::Manifest;
use minijinja::{AutoEscape, Environment, Value as JinjaValue};
use std::path::PathBuf;

/// Templates built into the binary.
const BUILTIN: &[(&str, &str)] = &[
    (
        "huawei/service.yaml",
        include_str!("../../templates/huawei/service.yaml"),
    ),
    (
        "huawei/ingress.yaml",
        include_str!("../../templates/huawei/ingress.yaml"),
    ),
    (
        "alibaba/service.yaml",
        include_str!("../../templates/alibaba/service.yaml"),
    ),
    (
        "alibaba/ingress.yaml",
        include_str!("../../templates/alibaba/ingress.yaml"),
    ),
    (
        "alibaba/albconfig.yaml",
        include_str!("../../templates/alibaba/albconfig.yaml"),
    ),
    (
        "alibaba/ingressclass.yaml",
        include_str!("../../templates/alibaba/ingressclass.yaml"),
    ),
    (
        "tencent/service.yaml",
        include_str!("../../templates/tencent/service.yaml"),
    ),
    (
        "tencent/ingress.yaml",
        include_str!("../../templates/tencent/ingress.yaml"),
    ),
    (
        "tencent/tke-service-config.yaml",
        include_str!("../../templates/tencent/tke-service-config.yaml"),
    ),
    (
        "tencent/eni-patch.yaml",
        include_str!("../../templates/tencent/eni-patch.yaml"),
    ),
];

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
            if let Some(dir) = &template_dir {
                match std::fs::read_to_string(dir.join(name)) {
                    Ok(text) => return Ok(Some(text)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(minijinja::Error::new(
                            minijinja::ErrorKind::TemplateNotFound,
                            format!("cannot read {}: {e}", dir.join(name).display()),
                        ));
                    }
                }
            }
            Ok(BUILTIN
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string()))
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
        let docs = crate::spec::node::parse_stream(&text)
            .map_err(|e| invalid(format!("not YAML at line {}: {}", e.span.line, e.message)))?;
        let [Some(root)] = docs.as_slice() else {
            return Err(invalid("expected exactly one document".into()));
        };
        typed::check(root.to_json()).map_err(invalid)
    }
}
