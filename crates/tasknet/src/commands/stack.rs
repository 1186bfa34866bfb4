//! Turns the `validate`/`plan` flags into a [`stacks::StackInput`]: reads
//! the parameter and custom-output files, parses the overrides.

use crate::cli::StackArgs;
use crate::error::CliError;
use cfn::params::{parse_overrides, parse_parameters_file};
use cfn::Pos;
use stacks::StackInput;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Reads a file named on the command line.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read { path: path.to_path_buf(), source })
}

/// A file argument as the aws CLI takes it: `file://path` or a plain path.
pub fn file_arg(arg: &str) -> PathBuf {
    PathBuf::from(arg.strip_prefix("file://").unwrap_or(arg))
}

/// CreateStack's check of `--stack-name` (`stacks::check_stack_name`), as the aws CLI prints its error.
pub fn check_stack_name(name: &str) -> Result<(), CliError> {
    stacks::check_stack_name(name).map_err(|e| CliError::StackName(e.message))
}

/// The analysis input for `args` under `stack_name`.
pub fn stack_input(args: &StackArgs, stack_name: String) -> Result<StackInput, CliError> {
    let overrides = parse_overrides(&args.parameter_overrides).map_err(|source| CliError::Params {
        source,
        file: None,
        text: None,
    })?;
    let file_params = match &args.parameters {
        Some(arg) => {
            let file = file_arg(arg);
            let text = read_text(&file)?;
            parse_parameters_file(&text).map_err(|source| CliError::Params {
                source,
                file: Some(file),
                text: Some(text),
            })?
        }
        None => Vec::new(),
    };
    let custom_attributes = match &args.custom_outputs {
        Some(arg) => {
            let file = file_arg(arg);
            let text = read_text(&file)?;
            parse_custom_outputs(&text).map_err(|(message, pos)| CliError::CustomOutputs {
                file,
                message,
                pos,
                text,
            })?
        }
        None => BTreeMap::new(),
    };
    Ok(StackInput {
        template_path: args.template_file.clone(),
        stack_name,
        overrides,
        file_params,
        custom_attributes,
        stack_id: None,
        allow_deprecated_runtimes: args.allow_deprecated_runtimes,
    })
}

/// Custom resources' attributes by logical ID.
type CustomAttributes = BTreeMap<String, BTreeMap<String, serde_json::Value>>;

/// Parses `{"LogicalId": {"Attr": value, …}, …}`; an error carries its position when known.
pub fn parse_custom_outputs(text: &str) -> Result<CustomAttributes, (String, Option<Pos>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let pos = Pos::new(u32::try_from(e.line()).unwrap_or(u32::MAX), u32::try_from(e.column()).unwrap_or(u32::MAX));
        (format!("the custom outputs file is not valid JSON: {e}"), Some(pos))
    })?;
    // The template loader reads JSON too and keeps positions, for pointing at a bad entry.
    let positions = cfn::load::load_str(text).ok();
    let pos_of = |id: Option<&str>| -> Option<Pos> {
        let root = positions.as_ref()?;
        match id {
            None => Some(root.pos),
            Some(id) => root.as_map()?.get_entry(id).map(|(k, _)| k.pos),
        }
    };
    let serde_json::Value::Object(resources) = json else {
        return Err(("the custom outputs file must be a JSON object keyed by logical ID".into(), pos_of(None)));
    };
    let mut out = BTreeMap::new();
    for (id, attrs) in resources {
        let serde_json::Value::Object(attrs) = attrs else {
            return Err((
                format!("custom outputs of {id} must be a JSON object of attribute names and values"),
                pos_of(Some(&id)),
            ));
        };
        out.insert(id, attrs.into_iter().collect());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_outputs_shapes() {
        let ok = parse_custom_outputs(r#"{"MigrateTask": {"PhysicalResourceId": "run-1", "Status": "done"}}"#);
        let ok = ok.unwrap_or_default();
        assert_eq!(ok["MigrateTask"]["Status"], serde_json::json!("done"));
        let bad = parse_custom_outputs("{\n  \"A\": {},\n  \"B\": 3\n}");
        assert_eq!(bad.err().map(|(_, p)| p), Some(Some(Pos::new(3, 3))));
        assert!(parse_custom_outputs("[1]").is_err());
        let syntax = parse_custom_outputs("{\"A\": ");
        assert!(matches!(syntax, Err((m, Some(_))) if m.contains("not valid JSON")));
    }

    #[test]
    fn file_urls() {
        assert_eq!(file_arg("file://p.json"), PathBuf::from("p.json"));
        assert_eq!(file_arg("p.json"), PathBuf::from("p.json"));
    }
}
