//! Comparing rendered objects with their live counterparts: a unified diff per object, a
//! field-level view of JSON-valued annotations, and the provider packs' change warnings.
//!
//! Knows no provider: the change rules and annotation ownership come in as data
//! (`provider::changes`). Produces values only; the CLI decides how to show them.

pub mod external;
pub mod semantic;
pub mod warnings;

use crate::emit::{self, EmitError, Object, ObjectId};
use crate::live::normalize::{self, Extent, live_is_managed, normalise};
use crate::live::{NEVER_READ, Scope};
use crate::provider::changes::{AnnotationOwnership, ChangeRule, Impact};
use semantic::FieldChange;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use warnings::Warning;

/// What applying would do to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Not in the cluster: applying creates it.
    Added,
    /// In the cluster and different.
    Changed,
    /// In the cluster and the same, in everything lbgen owns.
    Unchanged,
    /// In the cluster with lbgen's managed-by label, no longer rendered (`--prune`).
    WouldBeRemoved,
    /// A Secret: lbgen never reads them, so it cannot tell.
    NotRead,
}

/// What applying one object's difference does to its traffic, from least to most
/// disruptive (`diff --fail-on` compares against it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    /// Created, or changed in place: no pack rule flags it.
    InPlace,
    /// Accepted but ignored by the controller until the object is recreated.
    IgnoredAfterCreate,
    /// Applied in place with a side effect (dropped connections, a re-bind).
    Risky,
    /// Must be deleted and recreated: the load balancer goes away meanwhile.
    Recreate,
    /// Deleted (`--prune`): the load balancer goes away.
    Removes,
}

impl ChangeClass {
    /// The class of one object's difference: its most disruptive warning.
    fn of(state: State, warnings: &[Warning]) -> Option<ChangeClass> {
        match state {
            State::Unchanged | State::NotRead => None,
            State::WouldBeRemoved => Some(ChangeClass::Removes),
            State::Added => Some(ChangeClass::InPlace),
            State::Changed => Some(
                warnings
                    .iter()
                    .map(|w| match w.impact {
                        Impact::NotInPlace => ChangeClass::Recreate,
                        Impact::Risky => ChangeClass::Risky,
                        Impact::IgnoredAfterCreate => ChangeClass::IgnoredAfterCreate,
                    })
                    .max()
                    .unwrap_or(ChangeClass::InPlace),
            ),
        }
    }
}

/// The comparison of one object.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectDiff {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// Namespace (empty for cluster-scoped objects).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// What applying would do.
    pub state: State,
    /// Unified diff of the normalised live object and the rendered one (empty if equal).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub diff: String,
    /// Changed fields inside JSON-valued annotations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// Changes the cloud cannot apply in place or that are risky.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// What applying the difference does (absent when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<ChangeClass>,
    /// The normalised live object, if there is one (for external diff tools).
    #[serde(skip)]
    pub live: Option<Object>,
    /// The rendered object, if there is one.
    #[serde(skip)]
    pub rendered: Option<Object>,
    /// The validated identity the file name is built from.
    #[serde(skip)]
    id: ObjectId,
}

impl ObjectDiff {
    /// kubectl's file name for the object: `[<group>.]<version>.<Kind>.<namespace>.<name>`,
    /// from the validated identity (no part can hold `/` or be `..`).
    pub fn file_name(&self) -> String {
        let id = &self.id;
        let group = if id.api().group().is_empty() {
            String::new()
        } else {
            format!("{}.", id.api().group())
        };
        format!(
            "{group}{}.{}.{}.{}",
            id.api().version(),
            id.api().kind(),
            id.namespace().unwrap_or_default(),
            id.name()
        )
    }
}

/// Counts per state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Objects applying would create.
    pub added: usize,
    /// Objects applying would change.
    pub changed: usize,
    /// Objects already as rendered.
    pub unchanged: usize,
    /// Objects `--prune` would delete.
    pub would_be_removed: usize,
    /// Secrets, which are never read.
    pub not_read: usize,
}

/// The whole comparison, in output order.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Counts per state.
    pub summary: Summary,
    /// One entry per object.
    pub objects: Vec<ObjectDiff>,
}

impl Report {
    /// Whether applying would change anything (exit code 1).
    pub fn has_differences(&self) -> bool {
        let s = &self.summary;
        s.added + s.changed + s.would_be_removed > 0
    }

    /// The most disruptive class among the objects' differences, if any differ.
    pub fn worst(&self) -> Option<ChangeClass> {
        self.objects.iter().filter_map(|o| o.class).max()
    }
}

/// What the comparison needs besides the objects.
#[derive(Debug, Clone)]
pub struct Options {
    /// Lines of context around each change in the unified diff.
    pub context_lines: usize,
    /// Report live objects with lbgen's managed-by label that are no longer rendered.
    pub prune: bool,
    /// Where those may be found: the scopes that were read.
    pub scopes: Vec<Scope>,
    /// The provider packs' change rules.
    pub rules: Vec<ChangeRule>,
    /// Which annotations the provider packs own.
    pub ownership: AnnotationOwnership,
    /// The desired objects are what the API server would store (a server-side apply dry
    /// run), not the rendered ones: compare whole objects, not only what lbgen owns.
    pub server_side: bool,
}

/// Compares `rendered` (in emit order; with `server_side`, the dry-run results in the
/// same order) with `live`.
pub fn compare(
    rendered: &[Object],
    live: &[Object],
    options: &Options,
) -> Result<Report, EmitError> {
    // A Secret is never compared or printed, whatever a server or a snapshot hands over.
    let is_secret = |o: &Object| o.api_version() == "v1" && o.kind() == NEVER_READ;
    let mut by_identity: HashMap<_, &Object> = live
        .iter()
        .filter(|o| !is_secret(o))
        .map(|o| (o.identity(), o))
        .collect();
    let mut objects = Vec::new();
    for object in rendered {
        let counterpart = by_identity.remove(&object.identity());
        objects.push(if is_secret(object) {
            entry(object, State::NotRead, None, Some(object.clone()))?
        } else {
            compare_one(object, counterpart, options)?
        });
    }
    if options.prune {
        let mut gone: Vec<Object> = by_identity
            .into_values()
            .filter(|o| live_is_managed(o) && options.scopes.iter().any(|s| s.contains(o)))
            .map(|o| normalise(o, None, &options.ownership, Extent::Owned))
            .collect();
        emit::sort(&mut gone);
        for object in gone {
            let mut e = entry(&object, State::WouldBeRemoved, Some(object.clone()), None)?;
            e.diff = unified(Some(&object), None, &e.file_name(), options.context_lines)?;
            objects.push(e);
        }
    }
    let mut summary = Summary::default();
    for o in &mut objects {
        o.class = ChangeClass::of(o.state, &o.warnings);
    }
    for o in &objects {
        *match o.state {
            State::Added => &mut summary.added,
            State::Changed => &mut summary.changed,
            State::Unchanged => &mut summary.unchanged,
            State::WouldBeRemoved => &mut summary.would_be_removed,
            State::NotRead => &mut summary.not_read,
        } += 1;
    }
    Ok(Report { summary, objects })
}

fn entry(
    object: &Object,
    state: State,
    live: Option<Object>,
    rendered: Option<Object>,
) -> Result<ObjectDiff, EmitError> {
    let id = object
        .id()
        .map_err(|e| EmitError::Identity(object.describe(), e))?;
    Ok(ObjectDiff {
        api_version: object.api_version().to_string(),
        kind: object.kind().to_string(),
        namespace: object.namespace().to_string(),
        name: object.name().to_string(),
        state,
        diff: String::new(),
        fields: Vec::new(),
        warnings: Vec::new(),
        class: None,
        live,
        rendered,
        id,
    })
}

fn compare_one(
    rendered: &Object,
    live: Option<&Object>,
    options: &Options,
) -> Result<ObjectDiff, EmitError> {
    let (desired, extent) = if options.server_side {
        (normalize::strip(rendered), Extent::Stored)
    } else {
        (rendered.clone(), Extent::Owned)
    };
    let rendered = &desired;
    let Some(live) = live else {
        let mut e = entry(rendered, State::Added, None, Some(rendered.clone()))?;
        e.diff = unified(None, Some(rendered), &e.file_name(), options.context_lines)?;
        return Ok(e);
    };
    let live = normalise(live, Some(rendered), &options.ownership, extent);
    let state = if live == *rendered {
        State::Unchanged
    } else {
        State::Changed
    };
    let mut e = entry(rendered, state, Some(live.clone()), Some(rendered.clone()))?;
    if state == State::Changed {
        e.diff = unified(
            Some(&live),
            Some(rendered),
            &e.file_name(),
            options.context_lines,
        )?;
        e.fields = json_annotation_changes(&live.0, &rendered.0);
        e.warnings = warnings::check(&options.rules, rendered.kind(), &live.0, &rendered.0);
    }
    Ok(e)
}

/// Field changes of every annotation both sides carry.
fn json_annotation_changes(live: &Value, rendered: &Value) -> Vec<FieldChange> {
    let annotations = |v: &Value| {
        v.pointer("/metadata/annotations")
            .and_then(Value::as_object)
            .cloned()
    };
    let (Some(l), Some(r)) = (annotations(live), annotations(rendered)) else {
        return Vec::new();
    };
    r.iter()
        .filter_map(|(key, rv)| Some((key, l.get(key)?.as_str()?, rv.as_str()?)))
        .filter(|(_, lv, rv)| lv != rv)
        .flat_map(|(key, lv, rv)| semantic::annotation_changes(key, lv, rv))
        .collect()
}

/// The unified diff of two objects' YAML (`None`: absent, an empty file).
fn unified(
    live: Option<&Object>,
    rendered: Option<&Object>,
    name: &str,
    context: usize,
) -> Result<String, EmitError> {
    let old = live.map(emit::to_yaml).transpose()?.unwrap_or_default();
    let new = rendered.map(emit::to_yaml).transpose()?.unwrap_or_default();
    Ok(similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(context)
        .header(&format!("live/{name}"), &format!("rendered/{name}"))
        .to_string())
}
