//! The tables in `src/spec/` against the schema data they are generated from
//! (`spec-data/us-east-1.json`, written by `scripts/gen/cfn-spec.py extract`).
//! A hand edit to a table, or new data without `cfn-spec.py generate`, fails
//! here; deliberate departures are listed in `spec-data/tables.json`.

use cfn::spec::{modelled_types, resource_spec, PropSpec, PropType, KNOWN_TYPES};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

fn read(name: &str) -> Value {
    let path = format!("{}/spec-data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn names(v: &Value) -> BTreeSet<String> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str).map(String::from).collect()
}

/// One modelled type's schema and how its table was built from it.
struct Schema<'a> {
    type_name: &'a str,
    defs: &'a Map<String, Value>,
    read_only: BTreeSet<String>,
    inert: bool,
    /// `(structure, property)` pairs the table adds on purpose (tables.json's `edits`).
    added: BTreeSet<(String, String)>,
}

impl Schema<'_> {
    /// Follows `$ref`s; returns the node and the definition name it came from.
    fn resolve<'v>(&'v self, mut node: &'v Value, mut hint: &'v str) -> (&'v Value, &'v str) {
        while let Some(r) = node.get("$ref").and_then(Value::as_str) {
            hint = r.trim_start_matches("#/definitions/");
            node = &self.defs[hint];
        }
        (node, hint)
    }

    /// Checks `ty` against `node` (at schema `path`, inside the structures `outer`).
    fn check(&self, ty: &PropType, node: &Value, hint: &str, path: &str, outer: &[&str], errs: &mut Vec<String>) {
        let (node, hint) = self.resolve(node, hint);
        let at = format!("{} {path}", self.type_name);
        let types: Vec<&str> = match node.get("type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if types.len() > 1 {
            let PropType::OneOf(alts) = ty else {
                return errs.push(format!("{at}: schema allows {types:?}, table has {ty:?}"));
            };
            if alts.len() != types.len() {
                return errs.push(format!("{at}: schema allows {types:?}, table has {ty:?}"));
            }
            for (alt, t) in alts.iter().zip(&types) {
                let mut one = node.clone();
                one["type"] = Value::from(*t);
                self.check(alt, &one, hint, path, outer, errs);
            }
            return;
        }
        let scalar = match types.first().copied() {
            Some("string") => Some(PropType::String),
            Some("integer") => Some(PropType::Integer),
            Some("number") => Some(PropType::Number),
            Some("boolean") => Some(PropType::Boolean),
            _ => None,
        };
        if let Some(want) = scalar {
            if *ty != want {
                errs.push(format!("{at}: schema says {want:?}, table has {ty:?}"));
            }
            return;
        }
        match (types.first().copied(), ty) {
            (Some("array"), PropType::List(item)) => match node.get("items") {
                Some(items) => self.check(item, items, hint, &format!("{path}/*"), outer, errs),
                None if **item == PropType::Any => {}
                None => errs.push(format!("{at}: untyped items, table has {item:?}")),
            },
            (_, PropType::Struct(fields)) if node.get("properties").is_some() => {
                self.fields(fields, node, hint, path, &[outer, &[hint]].concat(), errs);
            }
            // Deeper levels of inert types, recursive and output-only structures are free-form.
            (_, PropType::Json) if node.get("properties").is_some() => {
                let props = node["properties"].as_object().map(|m| m.keys().collect::<Vec<_>>()).unwrap_or_default();
                let output_only = props.iter().all(|p| self.read_only.contains(&format!("{path}/{p}")));
                let recursive = outer.contains(&hint);
                let cut_off = self.inert && !outer.is_empty();
                if !cut_off && !output_only && !recursive {
                    errs.push(format!("{at}: schema has a structure, table has free-form JSON"));
                }
            }
            (_, PropType::Map(value)) => match node.get("patternProperties").and_then(Value::as_object) {
                Some(pp) if pp.len() == 1 => {
                    let inner = pp.values().next().unwrap_or(&Value::Null);
                    self.check(value, inner, hint, &format!("{path}/*"), outer, errs);
                }
                _ => errs.push(format!("{at}: table has a map, schema has no single pattern")),
            },
            (Some("object"), PropType::Json) => {}
            (None, PropType::Any) => {}
            (t, _) => errs.push(format!("{at}: schema type {t:?}, table has {ty:?}")),
        }
    }

    /// Checks a structure's fields: the same names and `required`, each field's type.
    fn fields(
        &self,
        fields: &[PropSpec],
        node: &Value,
        owner: &str,
        path: &str,
        outer: &[&str],
        errs: &mut Vec<String>,
    ) {
        let empty = Map::new();
        let props = node.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let required = names(node.get("required").unwrap_or(&Value::Null));
        let top = path == "/properties";
        let want: BTreeSet<&str> = props
            .keys()
            .map(String::as_str)
            // Read-only top-level properties are outputs: the table leaves them out.
            .filter(|k| !(top && self.read_only.contains(&format!("{path}/{k}"))))
            .collect();
        let owner = if top { "" } else { owner };
        let have: BTreeSet<&str> = fields
            .iter()
            .map(|f| f.name)
            .filter(|n| !self.added.contains(&(owner.to_string(), n.to_string())))
            .collect();
        if want != have {
            let missing: Vec<_> = want.difference(&have).collect();
            let extra: Vec<_> = have.difference(&want).collect();
            errs.push(format!("{} {path}: missing {missing:?}, not in the schema {extra:?}", self.type_name));
        }
        for f in fields {
            let Some(sub) = props.get(f.name) else { continue };
            if f.required != required.contains(f.name) {
                errs.push(format!("{} {path}/{}: required is {} in the table", self.type_name, f.name, f.required));
            }
            let is_inline = sub.get("properties").is_some() && sub.get("$ref").is_none();
            let field_path = format!("{path}/{}", f.name);
            // An inline structure is named by its place; a definition by its name (via `$ref`).
            let hint = if is_inline { field_path.as_str() } else { f.name };
            self.check(&f.ty, sub, hint, &field_path, outer, errs);
        }
    }
}

#[test]
fn known_types_are_the_schema_type_names() {
    let data = read("us-east-1.json");
    let want: Vec<String> = names(&data["types"]).into_iter().collect();
    let have: Vec<String> = KNOWN_TYPES.iter().map(|s| s.to_string()).collect();
    assert_eq!(have, want, "KNOWN_TYPES differs from spec-data: run scripts/gen/cfn-spec.py generate");
}

#[test]
fn modelled_types_match_their_schemas() {
    let data = read("us-east-1.json");
    let tables = read("tables.json");
    let schemas = data["schemas"].as_object().expect("schemas");
    let want: BTreeSet<&str> = schemas.keys().map(String::as_str).collect();
    let have: BTreeSet<&str> = modelled_types().collect();
    assert_eq!(have, want, "the modelled types differ from spec-data's schemas");
    let inert: BTreeSet<&str> = tables["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["types"].as_array().into_iter().flatten())
        .filter(|t| t["inert"] == Value::Bool(true))
        .filter_map(|t| t["type"].as_str())
        .collect();
    let mut errs = Vec::new();
    for (type_name, schema) in schemas {
        let spec = resource_spec(type_name).expect("modelled");
        let added = tables["edits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["type"] == *type_name && e["add"] == Value::Bool(true))
            .map(|e| (e["in"].as_str().unwrap_or("").to_string(), e["property"].as_str().unwrap_or("").to_string()))
            .collect();
        let empty = Map::new();
        let s = Schema {
            type_name,
            defs: schema["definitions"].as_object().unwrap_or(&empty),
            read_only: names(&schema["readOnlyProperties"]),
            inert: inert.contains(type_name.as_str()),
            added,
        };
        s.fields(spec.properties, schema, "", "/properties", &[], &mut errs);
        let attrs: Vec<&str> = schema["getatts"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        if spec.attributes != attrs.as_slice() {
            errs.push(format!("{type_name}: attributes {:?}, schema's GetAtt names {attrs:?}", spec.attributes));
        }
    }
    assert!(
        errs.is_empty(),
        "tables differ from spec-data (run scripts/gen/cfn-spec.py generate):\n{}",
        errs.join("\n")
    );
}
