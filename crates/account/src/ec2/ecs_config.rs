//! Which ECS cluster an instance's agent joins, read the way the agent and
//! cfn-init would read it: `ECS_CLUSTER=` in `/etc/ecs/ecs.config`, written by
//! the instance's user data or by cfn-init from the resource's
//! `AWS::CloudFormation::Init` metadata.
//!
//! AWS doc: "Amazon ECS container agent configuration" (ECS_CLUSTER, default
//! `default`) and "Bootstrapping Amazon ECS Linux container instances with
//! user data"; AWS doc: "AWS::CloudFormation::Init" (configSets, files,
//! commands and their `env`).

use serde_json::Value;

/// The variable the agent reads its cluster from.
const ECS_CLUSTER: &str = "ECS_CLUSTER";

/// Decodes standard base64 (with or without padding); `None` when the text
/// is not base64. User data arrives base64-encoded from `Fn::Base64`.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut padding = 0usize;
    let mut symbols = 0usize;
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b'\n' | b'\r' => continue,
            _ => return None,
        };
        if padding > 0 {
            // Data after padding: not base64.
            return None;
        }
        symbols += 1;
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    // One leftover symbol cannot encode a byte; more than two `=` is malformed.
    if symbols % 4 == 1 || padding > 2 {
        return None;
    }
    Some(out)
}

/// User data as the instance sees it: base64 is decoded when it decodes to
/// text; anything else is taken as plain text (CloudFormation passes both).
pub fn user_data_text(user_data: &str) -> String {
    let trimmed = user_data.trim();
    let looks_encoded = !trimmed.is_empty() && !trimmed.contains(char::is_whitespace);
    if looks_encoded {
        if let Some(text) = decode_base64(trimmed).and_then(|b| String::from_utf8(b).ok()) {
            return text;
        }
    }
    user_data.to_string()
}

/// The last `ECS_CLUSTER=value` in a text (a later line overrides an earlier
/// one, as when the agent reads its environment file). Values that are still
/// shell variables are resolved from `env` when they can be; otherwise they
/// are not a cluster name and are skipped.
pub fn cluster_in_text(text: &str, env: &[(String, String)]) -> Option<String> {
    let mut found = None;
    let mut rest = text;
    while let Some(at) = rest.find(ECS_CLUSTER) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + ECS_CLUSTER.len()..];
        rest = after;
        // `MY_ECS_CLUSTER=` is another variable.
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else { continue };
        // `"ECS_CLUSTER=x"`: the quote opened before the name closes after the value.
        let open_quote = before.filter(|c| *c == '"' || *c == '\'');
        if let Some(v) = shell_word(value, open_quote, env) {
            found = Some(v);
        }
    }
    found
}

/// The shell word at the start of `s` (inside `quote` when one is open):
/// quotes removed, `$VAR`/`${VAR}` expanded from `env`; `None` when empty
/// or an unknown variable remains.
fn shell_word(s: &str, quote: Option<char>, env: &[(String, String)]) -> Option<String> {
    let mut word = String::new();
    let mut chars = s.chars().peekable();
    let mut quote = quote;
    while let Some(c) = chars.next() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('$', q) if q != Some('\'') => {
                let braced = chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if braced && chars.next() != Some('}') {
                    return None;
                }
                word.push_str(&env.iter().find(|(k, _)| *k == name)?.1);
            }
            (c, None) if c.is_whitespace() || matches!(c, ';' | '>' | '<' | '|' | '&' | ')' | '`') => break,
            (c, _) => word.push(c),
        }
    }
    (!word.is_empty()).then_some(word)
}

/// The configs cfn-init runs, in order: the named (or `default`) configSet
/// when the block has configSets, else the single `config`.
fn configs_to_run<'a>(init: &'a Value, config_set: Option<&str>) -> Vec<&'a Value> {
    let Some(sets) = init.get("configSets").and_then(Value::as_object) else {
        return init.get("config").into_iter().collect();
    };
    let mut names = Vec::new();
    expand_config_set(sets, config_set.unwrap_or("default"), &mut names, 0);
    names.iter().filter_map(|n| init.get(n.as_str())).collect()
}

/// Appends the config names of one configSet; a set may include another
/// with `{"ConfigSet": name}` (depth-limited against cycles).
fn expand_config_set(sets: &serde_json::Map<String, Value>, name: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let items: Vec<&Value> = match sets.get(name) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::String(_)) => vec![v],
        _ => return,
    };
    for item in items {
        match item {
            Value::String(s) => out.push(s.clone()),
            Value::Object(o) => {
                if let Some(inner) = o.get("ConfigSet").and_then(Value::as_str) {
                    expand_config_set(sets, inner, out, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// The configSet named on cfn-init's command line in user data (`-c X` or `--configsets X`).
fn config_set_in_user_data(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "-c" || *w == "--configsets")?;
    let name = words.get(at + 1)?.trim_matches(|c| c == '"' || c == '\'');
    // `-c a,b` runs several sets; the first is the one we follow (simplified).
    name.split(',').next().map(str::to_string)
}

/// `ECS_CLUSTER` from the cfn-init metadata of a resource: file contents
/// (string contents; a JSON object content cannot hold an env file), then
/// commands (their text, with their `env` for variables, and `env` itself),
/// across the configs cfn-init would run, the last one found winning.
pub fn cluster_in_cfn_init(metadata: &Value, config_set: Option<&str>) -> Option<String> {
    let init = metadata.get("AWS::CloudFormation::Init")?;
    let mut found = None;
    for config in configs_to_run(init, config_set) {
        if let Some(files) = config.get("files").and_then(Value::as_object) {
            for file in files.values() {
                if let Some(v) = file.get("content").and_then(Value::as_str).and_then(|c| cluster_in_text(c, &[])) {
                    found = Some(v);
                }
            }
        }
        // cfn-init runs commands in alphabetical order of their names.
        if let Some(commands) = config.get("commands").and_then(Value::as_object) {
            let mut names: Vec<&String> = commands.keys().collect();
            names.sort();
            for name in names {
                let cmd = &commands[name.as_str()];
                let env: Vec<(String, String)> = cmd
                    .get("env")
                    .and_then(Value::as_object)
                    .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
                    .unwrap_or_default();
                let text = match cmd.get("command") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
                    _ => String::new(),
                };
                if let Some(v) = cluster_in_text(&text, &env) {
                    found = Some(v);
                } else if let Some((_, v)) = env.iter().find(|(k, _)| k == ECS_CLUSTER) {
                    // A command run with ECS_CLUSTER in its environment (e.g. starting the agent).
                    found = Some(v.clone());
                }
            }
        }
    }
    found
}

/// The cluster configured for an instance: user data first (it runs the
/// agent's configuration directly), then the cfn-init metadata it points
/// at. `None` when nothing sets ECS_CLUSTER (the agent then uses `default`).
/// Which source wins when both set it is tasknet's choice: AWS runs both, in
/// whatever order the user data calls them.
pub fn configured_cluster(user_data: Option<&str>, metadata: Option<&Value>) -> Option<String> {
    let text = user_data.map(user_data_text).unwrap_or_default();
    if let Some(c) = cluster_in_text(&text, &[]) {
        return Some(c);
    }
    let config_set = config_set_in_user_data(&text);
    metadata.and_then(|m| cluster_in_cfn_init(m, config_set.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_round_trips_and_rejects_text() {
        assert_eq!(decode_base64("Zm9vYmFy").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(decode_base64("Zm8=").as_deref(), Some(&b"fo"[..]));
        assert_eq!(decode_base64("Zg==").as_deref(), Some(&b"f"[..]));
        assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
        assert_eq!(decode_base64("#!/bin/bash"), None);
        assert_eq!(decode_base64("Zg=x"), None);
        assert_eq!(user_data_text("IyEvYmluL2Jhc2g="), "#!/bin/bash");
        assert_eq!(user_data_text("#!/bin/bash\necho hi"), "#!/bin/bash\necho hi");
    }

    #[test]
    fn cluster_from_user_data_lines() {
        let ud = "#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n";
        assert_eq!(cluster_in_text(ud, &[]).as_deref(), Some("prod"));
        assert_eq!(cluster_in_text("echo \"ECS_CLUSTER=a-b\" > /etc/ecs/ecs.config", &[]).as_deref(), Some("a-b"));
        assert_eq!(cluster_in_text("ECS_CLUSTER=one\nECS_CLUSTER=two\n", &[]).as_deref(), Some("two"));
        assert_eq!(cluster_in_text("MY_ECS_CLUSTER=x", &[]), None);
        assert_eq!(cluster_in_text("echo ECS_CLUSTER=$C >> f", &[]), None);
        let env = vec![("C".to_string(), "fromenv".to_string())];
        assert_eq!(cluster_in_text("echo ECS_CLUSTER=${C} >> f", &env).as_deref(), Some("fromenv"));
        assert_eq!(
            cluster_in_text("docker run --env ECS_CLUSTER=web amazon/amazon-ecs-agent", &[]).as_deref(),
            Some("web")
        );
        let encoded = "IyEvYmluL2Jhc2gKZWNobyBFQ1NfQ0xVU1RFUj1wcm9kID4+IC9ldGMvZWNzL2Vjcy5jb25maWcK";
        assert_eq!(configured_cluster(Some(encoded), None).as_deref(), Some("prod"));
    }

    #[test]
    fn cluster_from_cfn_init_files_commands_and_env() {
        let files = json!({"AWS::CloudFormation::Init": {"config": {"files": {"/etc/ecs/ecs.config": {"content": "ECS_CLUSTER=todo\n", "mode": "000644"}}}}});
        assert_eq!(configured_cluster(None, Some(&files)).as_deref(), Some("todo"));
        let commands = json!({"AWS::CloudFormation::Init": {"config": {"commands": {
            "01_add": {"command": "echo ECS_CLUSTER=cmd >> /etc/ecs/ecs.config"}
        }}}});
        assert_eq!(configured_cluster(None, Some(&commands)).as_deref(), Some("cmd"));
        let with_env = json!({"AWS::CloudFormation::Init": {"config": {"commands": {
            "10_register": {"command": "echo ECS_CLUSTER=$NAME >> /etc/ecs/ecs.config", "env": {"NAME": "viaenv"}}
        }}}});
        assert_eq!(configured_cluster(None, Some(&with_env)).as_deref(), Some("viaenv"));
        let only_env = json!({"AWS::CloudFormation::Init": {"config": {"commands": {
            "start": {"command": ["start", "ecs"], "env": {"ECS_CLUSTER": "envcluster"}}
        }}}});
        assert_eq!(configured_cluster(None, Some(&only_env)).as_deref(), Some("envcluster"));
        assert_eq!(configured_cluster(Some("#!/bin/bash\nyum update -y"), Some(&json!({}))), None);
    }

    #[test]
    fn config_sets_pick_what_cfn_init_runs() {
        let meta = json!({"AWS::CloudFormation::Init": {
            "configSets": {"default": [{"ConfigSet": "base"}, "ecs"], "base": ["setup"], "other": ["wrong"]},
            "setup": {"files": {"/etc/motd": {"content": "hello"}}},
            "ecs": {"files": {"/etc/ecs/ecs.config": {"content": "ECS_CLUSTER=sets"}}},
            "wrong": {"files": {"/etc/ecs/ecs.config": {"content": "ECS_CLUSTER=wrong"}}}
        }});
        assert_eq!(configured_cluster(None, Some(&meta)).as_deref(), Some("sets"));
        let ud = "/opt/aws/bin/cfn-init -v --stack s --resource LC --configsets other --region us-east-1";
        assert_eq!(configured_cluster(Some(ud), Some(&meta)).as_deref(), Some("wrong"));
        // User data wins over cfn-init.
        assert_eq!(
            configured_cluster(Some("echo ECS_CLUSTER=ud >> /etc/ecs/ecs.config"), Some(&meta)).as_deref(),
            Some("ud")
        );
    }
}
