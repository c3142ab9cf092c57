//! What a pack knows about reading its own annotations back into the neutral spec
//! (`kubectl lbgen import`): which shared spec fields its written keys invert to, its
//! Ingress classes, and the foreign dialects that look like its keys but are not read by
//! its cloud. The import stage (`crate::import`) reaches it only through
//! [`super::registry::Pack::import`]; every guess made here is checked there by rendering
//! the imported spec and comparing, so a wrong inverse can never change a value.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// One shared spec field read back from annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedField {
    /// The annotation keys it accounts for (all of them go back to raw annotations when
    /// the rendering does not reproduce one exactly).
    pub keys: Vec<String>,
    /// The dotted path below `spec` (`loadBalancer.tier`, `stickiness.mode`).
    pub path: &'static str,
    /// The spec value.
    pub value: Value,
}

/// How a table entry reads an annotation value.
#[derive(Debug, Clone, Copy)]
pub enum Read {
    /// Exact annotation spellings and the spec value each stands for.
    Words(&'static [(&'static str, &'static str)]),
    /// The text as it is (an id, a name).
    Text,
    /// `true` (the only spelling that sets the spec's boolean).
    True,
    /// A whole number of seconds, as a `30s` duration.
    Seconds,
    /// A whole number, as a number.
    Number,
    /// The spellings of true and false, as a boolean.
    Flag(&'static str, &'static str),
}

/// One annotation a pack writes from one shared field, with how to read it back.
#[derive(Debug, Clone, Copy)]
pub struct Inverse {
    /// The annotation key.
    pub key: &'static str,
    /// The kind it is read on (`Service`, `Ingress`), or both.
    pub kind: Option<&'static str>,
    /// The dotted spec path below `spec`.
    pub path: &'static str,
    /// How its value reads.
    pub read: Read,
}

/// What a pack reads from the companion objects of one Service or Ingress in the same
/// input: the IngressClass its class names and the class's parameters object. The import
/// stage consumes the objects (leaves them out of its output) only when the imported spec
/// renders each of them back exactly, and only once every object that reads them does.
#[derive(Debug, Clone, Default)]
pub struct Companions {
    /// The input objects read (indices into the objects given).
    pub objects: Vec<usize>,
    /// Spec fields read from them (with the annotation keys they also account for, when
    /// they need an annotation too), proposed while the objects are consumed.
    pub fields: Vec<SharedField>,
    /// Spec fields that stand for the objects when they are not consumed (they pass
    /// through), such as the class as a platform-owned one.
    pub instead: Vec<SharedField>,
    /// What the objects hold that the spec cannot say, `(subject, why)`: any keeps them
    /// passed through.
    pub unexpressed: Vec<(String, String)>,
    /// The object fields read, `(subject, spec field)`, for the report.
    pub read: Vec<(String, String)>,
    /// Other findings, `(subject, why)` (an IngressClass naming an object not in the
    /// input, a class several objects share).
    pub notes: Vec<(String, String)>,
    /// What the report adds to each object when they pass through after all.
    pub if_kept: Option<String>,
    /// Fields read by approximation, `(subject, how)`.
    pub approximated: Vec<(String, String)>,
}

/// The objects of an import's input, in order, with the look-ups companion readers need
/// (indexed once, so reading every object's companions stays linear in the input).
pub struct Inputs<'a> {
    objects: Vec<&'a Value>,
    by_name: HashMap<(&'a str, &'a str), usize>,
    class_users: HashMap<&'a str, usize>,
}

impl<'a> Inputs<'a> {
    /// Indexes `objects`.
    pub fn new(objects: Vec<&'a Value>) -> Inputs<'a> {
        let (mut by_name, mut class_users) = (HashMap::new(), HashMap::new());
        for (i, object) in objects.iter().enumerate() {
            let kind = object
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if let Some(name) = object.pointer("/metadata/name").and_then(Value::as_str) {
                by_name.entry((kind, name)).or_insert(i);
            }
            if kind == "Ingress"
                && let Some(class) = ingress_class(object)
            {
                *class_users.entry(class).or_insert(0) += 1;
            }
        }
        Inputs {
            objects,
            by_name,
            class_users,
        }
    }

    /// Every object, in input order.
    pub fn objects(&self) -> &[&'a Value] {
        &self.objects
    }

    /// The first object of `kind` named `name`, with its index.
    pub fn find(&self, kind: &str, name: &str) -> Option<(usize, &'a Value)> {
        let i = *self.by_name.get(&(kind, name))?;
        Some((i, self.objects[i]))
    }

    /// How many Ingresses of the input name the class `class`.
    pub fn ingresses_of_class(&self, class: &str) -> usize {
        self.class_users.get(class).copied().unwrap_or(0)
    }
}

/// The class an Ingress names: `kubernetes.io/ingress.class` (which controllers read
/// first), else `spec.ingressClassName`.
pub fn ingress_class(object: &Value) -> Option<&str> {
    object
        .pointer("/metadata/annotations")
        .and_then(|a| a.get("kubernetes.io/ingress.class"))
        .or_else(|| object.pointer("/spec/ingressClassName"))
        .and_then(Value::as_str)
}

/// A pack's import knowledge.
pub trait PackImport: Sync {
    /// The simple inverses: one key, one shared field.
    fn table(&self) -> &'static [Inverse];
    /// Inverses of keys whose value is structured (a JSON object of several fields);
    /// by default none.
    fn structured(
        &self,
        _kind: &str,
        _annotations: &BTreeMap<String, String>,
        _spec: &Value,
    ) -> Vec<SharedField> {
        Vec::new()
    }
    /// Why keys the structured inverses read were not read on this object (`(key, why)`:
    /// a list naming a port the object does not have, a field of the wrong JSON type),
    /// for the report beside the key's outcome; by default none.
    fn unread(
        &self,
        _kind: &str,
        _annotations: &BTreeMap<String, String>,
        _spec: &Value,
    ) -> Vec<(String, String)> {
        Vec::new()
    }
    /// The spec field a Service's `spec.loadBalancerClass` of this provider stands for
    /// (a load-balancer family); by default none.
    fn service_class(&self, _class: &str) -> Option<SharedField> {
        None
    }
    /// The spec `match` (`regex`, ...) an Ingress path with `pathType:
    /// ImplementationSpecific` stands for, read from the provider's own fields of the path
    /// object (`paths[]`) that the pack writes the match into; by default none (read as a
    /// prefix, reported as approximated).
    fn path_match(&self, _path: &Value) -> Option<&'static str> {
        None
    }
    /// The `kubernetes.io/ingress.class` / `spec.ingressClassName` values its controller
    /// serves.
    fn ingress_classes(&self) -> &'static [&'static str];
    /// The IngressClass `spec.controller` values of its controller: an Ingress whose class
    /// is an IngressClass of the input with one of them is this pack's; by default none.
    fn ingress_controllers(&self) -> &'static [&'static str] {
        &[]
    }
    /// What the companion objects among `inputs` (every object of the input) say about
    /// `object` (a Service or Ingress of this pack, with annotations `annotations` and
    /// core spec `spec`); by default nothing.
    fn companions(
        &self,
        _object: &Value,
        _annotations: &BTreeMap<String, String>,
        _spec: &Value,
        _inputs: &Inputs<'_>,
    ) -> Companions {
        Companions::default()
    }
    /// Why the annotations are another controller's dialect under this pack's prefixes
    /// (its cloud ignores them), when they are.
    fn foreign_dialect(&self, _annotations: &BTreeMap<String, String>) -> Option<String> {
        None
    }
    /// The certificate id an Ingress `spec.tls[].secretName` stands for, when the pack
    /// names its Secrets from certificate ids (so the name reads back exactly); by default
    /// none (the Secret's name is kept out of the spec and reported).
    fn tls_certificate(&self, _secret_name: &str) -> Option<String> {
        None
    }
    /// The cluster version (`spec.cluster.version`) an object's `apiVersion` implies,
    /// when the pack renders that apiVersion only for older clusters (a `v1beta1`
    /// Ingress); by default none.
    fn implied_cluster_version(&self, _kind: &str, _api_version: &str) -> Option<&'static str> {
        None
    }
}

/// The shared fields of `import`'s table and structured inverses found on a `kind` object.
pub fn shared_fields(
    import: &dyn PackImport,
    kind: &str,
    annotations: &BTreeMap<String, String>,
    spec: &Value,
) -> Vec<SharedField> {
    let mut out = table_fields(import.table(), kind, annotations);
    out.extend(import.structured(kind, annotations, spec));
    out
}

/// The shared fields of one table of inverses found on a `kind` object: `shared_fields`
/// reads a pack's `table()` with it, and a pack with a further table (in another module)
/// reads that one from its `structured`.
pub fn table_fields(
    table: &[Inverse],
    kind: &str,
    annotations: &BTreeMap<String, String>,
) -> Vec<SharedField> {
    let mut out = Vec::new();
    for inverse in table {
        if inverse.kind.is_some_and(|k| k != kind) {
            continue;
        }
        let Some(text) = annotations.get(inverse.key) else {
            continue;
        };
        if let Some(value) = read(inverse.read, text) {
            out.push(SharedField {
                keys: vec![inverse.key.to_string()],
                path: inverse.path,
                value,
            });
        }
    }
    out
}

fn read(how: Read, text: &str) -> Option<Value> {
    match how {
        Read::Words(words) => words
            .iter()
            .find(|(word, _)| *word == text)
            .map(|(_, spec)| Value::String((*spec).to_string())),
        Read::Text => (!text.is_empty()).then(|| Value::String(text.to_string())),
        Read::True => (text == "true").then_some(Value::Bool(true)),
        Read::Seconds => text
            .parse::<u64>()
            .ok()
            .map(|s| Value::String(duration_text(s))),
        Read::Number => text.parse::<u64>().ok().map(Value::from),
        Read::Flag(on, off) => match text {
            t if t == on => Some(Value::Bool(true)),
            t if t == off => Some(Value::Bool(false)),
            _ => None,
        },
    }
}

/// The spec's `ports` with the protocols of a `word:port,word:port` annotation (`words`:
/// the annotation's protocol words and the spec's protocols) and, on every HTTPS or TLS
/// port, `certificate`; `None` when a pair does not read or names no port of the spec.
pub fn listener_ports(
    spec: &Value,
    listed: &str,
    words: &[(&str, &str)],
    certificate: Option<&str>,
) -> Option<Value> {
    let mut ports = spec.pointer("/spec/ports")?.as_array()?.clone();
    for pair in listed.split(',') {
        let (word, port) = pair.split_once(':')?;
        let protocol = words.iter().find(|(w, _)| *w == word)?.1;
        let port: u64 = port.parse().ok()?;
        let entry = ports
            .iter_mut()
            .find(|p| p.get("port").and_then(Value::as_u64) == Some(port))?;
        entry["protocol"] = protocol.into();
        if let Some(cert) = certificate.filter(|_| matches!(protocol, "HTTPS" | "TLS")) {
            entry["certificateId"] = cert.into();
        }
    }
    Some(Value::Array(ports))
}

/// `seconds` as the spec writes a duration: `90s`, `5m`, `2h`.
pub fn duration_text(seconds: u64) -> String {
    if seconds > 0 && seconds.is_multiple_of(3600) {
        format!("{}h", seconds / 3600)
    } else if seconds > 0 && seconds.is_multiple_of(60) {
        format!("{}m", seconds / 60)
    } else {
        format!("{seconds}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_only_in_their_documented_spellings() {
        let words = Read::Words(&[("ROUND_ROBIN", "round-robin")]);
        assert_eq!(read(words, "ROUND_ROBIN"), Some(Value::from("round-robin")));
        assert_eq!(read(words, "round_robin"), None);
        assert_eq!(read(Read::True, "True"), None);
        assert_eq!(read(Read::Seconds, "120"), Some(Value::from("2m")));
        assert_eq!(read(Read::Seconds, "-1"), None);
        assert_eq!(duration_text(0), "0s");
        assert_eq!(duration_text(7200), "2h");
    }
}
