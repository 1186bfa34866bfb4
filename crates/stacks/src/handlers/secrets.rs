//! KMS keys and aliases, Secrets Manager secrets and SSM parameters: the
//! properties mapped to the account's actions (`account::kms`,
//! `account::secrets`, `account::ssm`).
//!
//! An in-place update runs the handler on a scratch copy of the account
//! that still holds the resource (engine::update); a name the stack itself
//! already owns is then that resource, changed, not a second one.
//! Replacement follows the resource schemas' createOnlyProperties
//! (AWS::KMS::Alias: AliasName; AWS::SecretsManager::Secret: Name;
//! AWS::SSM::Parameter: Name; AWS::KMS::Key: none).

use super::kind::{kind, Kind};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, GenerateSecretString, PasswordRequest, SecretValue, ServiceError, StackResource};
use cfn::Diagnostic;

/// A refusal of Secrets Manager, KMS or SSM as a finding at `property`.
fn refused(p: &mut Planner, props: &Props<'_>, property: &str, e: &ServiceError) {
    p.report(
        Diagnostic::error("TN4009", e.message.clone())
            .resource(props.logical_id)
            .path(props.path(property))
            .at(props.pos(property))
            .hint(format!("change the property so the service accepts it (error code {})", e.code)),
    );
}

/// The stack's own record of `logical_id` (its physical ID and the
/// properties it was last created or updated with), when the stack has one.
fn own_record<'a>(p: &'a Planner, logical_id: &str) -> Option<&'a StackResource> {
    let stack = p.account.stacks.get(&p.pseudo.stack_id)?;
    stack.resources.iter().rev().find(|r| r.logical_resource_id == logical_id && r.physical_resource_id.is_some())
}

fn owns(p: &Planner, logical_id: &str, physical_id: &str) -> bool {
    own_record(p, logical_id).is_some_and(|r| r.physical_resource_id.as_deref() == Some(physical_id))
}

/// AWS::KMS::Key: Ref is the key ID; GetAtt Arn and KeyId.
fn key(p: &mut Planner, props: &Props<'_>) -> Planned {
    let description = props.str("Description").unwrap_or_default();
    let spec = props.str("KeySpec");
    let usage = props.str("KeyUsage");
    let key = match p.account.create_key(&description, spec.as_deref(), usage.as_deref(), &props.tags()) {
        Ok(k) => k,
        Err(e) => {
            refused(p, props, "KeySpec", &e);
            // Stand in with a plain key so dependents are still checked.
            match p.account.create_key(&description, None, None, &[]) {
                Ok(k) => k,
                Err(_) => return Planned::new(p.failed_id("key")),
            }
        }
    };
    if props.bool("EnableKeyRotation") == Some(true) {
        let _ = p.account.set_key_rotation(&key.key_id, true);
    }
    if props.bool("Enabled") == Some(false) {
        let _ = p.account.set_key_enabled(&key.key_id, false);
    }
    Planned::new(key.key_id.clone()).attr("Arn", key.arn).attr("KeyId", key.key_id)
}

/// What an update of a key changes in place: description, rotation, enabled.
fn update_key(a: &mut Account, scratch: &Account, m: &super::Moved<'_>) -> Result<(), String> {
    let (Some(new), true) = (scratch.kms_keys.get(m.new_id), a.kms_keys.contains_key(m.id)) else { return Ok(()) };
    a.update_key_description(m.id, &new.description).map_err(|e| e.message)?;
    // Rotation changes only on an enabled key: enable first, or disable last.
    match new.key_state == account::KeyState::Enabled {
        true => {
            a.set_key_enabled(m.id, true).map_err(|e| e.message)?;
            a.set_key_rotation(m.id, new.key_rotation_enabled).map_err(|e| e.message)
        }
        false => {
            let _ = a.set_key_rotation(m.id, new.key_rotation_enabled);
            a.set_key_enabled(m.id, false).map_err(|e| e.message)
        }
    }
}

/// CloudFormation deletes a key by scheduling its deletion with
/// PendingWindowInDays (AWS doc: "AWS::KMS::Key": 7 to 30, default 30).
fn delete_key(a: &mut Account, r: &StackResource, id: &str) -> Result<(), String> {
    a.delete_inert(&r.resource_type, id);
    let days = r.properties.get("PendingWindowInDays").and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()));
    match a.kms_keys.get(id).map(|k| k.key_state) {
        None | Some(account::KeyState::PendingDeletion) => Ok(()),
        Some(_) => a.schedule_key_deletion(id, days).map(drop).map_err(|e| e.message),
    }
}

/// AWS::KMS::Alias: Ref is the alias name.
fn alias(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("AliasName").unwrap_or_default();
    let target = props.str("TargetKeyId").unwrap_or_default();
    let result = match p.account.kms_aliases.contains_key(&name) && owns(p, props.logical_id, &name) {
        true => p.account.update_alias(&name, &target),
        false => p.account.create_alias(&name, &target),
    };
    if let Err(e) = result {
        let property = if e.code == "NotFoundException" { "TargetKeyId" } else { "AliasName" };
        refused(p, props, property, &e);
    }
    Planned::new(name).detail("TargetKeyId", target)
}

fn update_alias(a: &mut Account, scratch: &Account, m: &super::Moved<'_>) -> Result<(), String> {
    match (scratch.kms_aliases.get(m.new_id), a.kms_aliases.contains_key(m.id)) {
        (Some(new), true) => a.update_alias(m.id, &new.target_key_id).map_err(|e| e.message),
        _ => Ok(()),
    }
}

/// `GenerateSecretString` as the account's request.
fn generate_request(g: &Props<'_>) -> GenerateSecretString {
    let flag = |name: &str| g.bool(name).unwrap_or(false);
    GenerateSecretString {
        password: PasswordRequest {
            password_length: g.u32("PasswordLength"),
            exclude_characters: g.str("ExcludeCharacters").unwrap_or_default(),
            exclude_numbers: flag("ExcludeNumbers"),
            exclude_punctuation: flag("ExcludePunctuation"),
            exclude_uppercase: flag("ExcludeUppercase"),
            exclude_lowercase: flag("ExcludeLowercase"),
            include_space: flag("IncludeSpace"),
            require_each_included_type: g.bool("RequireEachIncludedType"),
        },
        secret_string_template: g.str("SecretStringTemplate"),
        generate_string_key: g.str("GenerateStringKey"),
    }
}

/// The value a secret's properties give, if any. AWS doc:
/// "AWS::SecretsManager::Secret": SecretString or GenerateSecretString, not
/// both; with neither the secret is empty. `regenerate` is false when an
/// update keeps the GenerateSecretString it had (the password stays).
fn secret_value(p: &mut Planner, props: &Props<'_>, regenerate: bool) -> Option<String> {
    let generate = props.child("GenerateSecretString");
    if let (Some(_), Some(_)) = (props.get("SecretString"), &generate) {
        // Inferred text.
        p.report(
            Diagnostic::error("TN4009", "You can't specify both SecretString and GenerateSecretString.")
                .resource(props.logical_id)
                .path(props.path("GenerateSecretString"))
                .at(props.pos("GenerateSecretString"))
                .hint("keep one of SecretString and GenerateSecretString"),
        );
    }
    if let Some(s) = props.str("SecretString") {
        return Some(s);
    }
    let g = generate.filter(|_| regenerate)?;
    match p.account.generate_secret_string(&generate_request(&g)) {
        Ok(s) => Some(s),
        Err(e) => {
            refused(p, props, "GenerateSecretString", &e);
            None
        }
    }
}

/// AWS::SecretsManager::Secret: Ref and GetAtt Id are the ARN.
fn secret(p: &mut Planner, props: &Props<'_>) -> Planned {
    // The generated name's form is inferred (CloudFormation's usual STACK-LOGICAL-RANDOM).
    let name = props.str("Name").unwrap_or_else(|| p.generated_name(props.logical_id, 512));
    let existing = p.account.secret(&name).ok().map(|s| s.arn.clone()).filter(|arn| owns(p, props.logical_id, arn));
    if let Some(arn) = existing {
        // An update in place: a new version only when the value changed.
        let before = own_record(p, props.logical_id).and_then(|r| r.properties.get("GenerateSecretString").cloned());
        let now = props.get("GenerateSecretString").map(cfn::Node::to_json);
        let value = secret_value(p, props, before != now);
        let current = p.account.get_secret_value(&arn, None, None).ok().map(|(_, v)| v.value.clone());
        let value = value.map(SecretValue::String).filter(|v| Some(v) != current.as_ref());
        let description = props.str("Description");
        let kms = props.str("KmsKeyId");
        if let Err(e) = p.account.update_secret(&arn, description.as_deref(), kms.as_deref(), value, None) {
            refused(p, props, "SecretString", &e);
        }
        let _ = p.account.tag_secret(&arn, &props.tags());
        return Planned::new(arn.clone()).attr("Id", arn).detail("Name", name);
    }
    let value = secret_value(p, props, true);
    let req = account::CreateSecret {
        name: name.clone(),
        description: props.str("Description"),
        kms_key_id: props.str("KmsKeyId"),
        value: value.map(SecretValue::String),
        client_request_token: None,
        tags: props.tags(),
    };
    match p.account.create_secret(&req) {
        Ok(w) => Planned::new(w.arn.clone()).attr("Id", w.arn).detail("Name", name),
        Err(e) => {
            refused(p, props, "Name", &e);
            let suffix = p.account.new_hex(props.logical_id, 6);
            let (region, acct) = (&p.account.region, &p.account.account_id);
            let arn = format!("arn:aws:secretsmanager:{region}:{acct}:secret:{name}-{suffix}");
            p.failed_ids.push(arn.clone());
            Planned::new(arn.clone()).attr("Id", arn)
        }
    }
}

fn update_secret(a: &mut Account, scratch: &Account, m: &super::Moved<'_>) -> Result<(), String> {
    match (scratch.secrets.get(m.new_id), a.secrets.contains_key(m.id)) {
        // The scratch copy is the real secret changed through the actions: it replaces the record.
        (Some(new), true) if m.new_id == m.id => {
            a.secrets.insert(m.id.to_string(), new.clone());
            Ok(())
        }
        _ => Ok(()),
    }
}

/// CloudFormation deletes a secret without a recovery window (the
/// resource's default DeletionPolicy force-deletes; seen in AWS's
/// CloudFormation coverage roadmap, issue 1999).
fn delete_secret(a: &mut Account, r: &StackResource, id: &str) -> Result<(), String> {
    a.delete_inert(&r.resource_type, id);
    a.delete_secret(id, None, true).map(drop).map_err(|e| e.message)
}

/// AWS::SSM::Parameter: Ref is the name; GetAtt Type and Value. AWS doc:
/// "AWS::SSM::Parameter": CloudFormation does not create SecureString
/// parameters (text of the refusal inferred).
fn parameter(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("Name").unwrap_or_else(|| p.generated_name(props.logical_id, 2048));
    let value = props.str("Value").unwrap_or_default();
    let kind = props.str("Type").unwrap_or_else(|| "String".into());
    if kind == "SecureString" {
        p.report(
            Diagnostic::error("TN4009", "CloudFormation doesn't support creating a SecureString parameter type.")
                .resource(props.logical_id)
                .path(props.path("Type"))
                .at(props.pos("Type"))
                .hint(
                    "create the SecureString with aws ssm put-parameter and read it with {{resolve:ssm-secure:NAME}}",
                ),
        );
    } else if p.account.ssm_parameter(&name).is_some() && !owns(p, props.logical_id, &name) {
        // Inferred text: the registry handlers' AlreadyExists form.
        p.report(
            Diagnostic::error(
                "TN4009",
                format!("Resource of type 'AWS::SSM::Parameter' with identifier '{name}' already exists."),
            )
            .resource(props.logical_id)
            .path(props.path("Name"))
            .at(props.pos("Name"))
            .hint("choose a name no parameter of the account has, or leave Name out to have one generated"),
        );
    }
    p.account.put_ssm_parameter(&name, &kind, &value);
    Planned::new(name).attr("Type", kind).attr("Value", value)
}

fn update_parameter(a: &mut Account, scratch: &Account, m: &super::Moved<'_>) -> Result<(), String> {
    match (scratch.ssm_parameter(m.new_id), a.ssm_parameter(m.id).is_some()) {
        (Some(new), true) => {
            let (kind, value) = (new.param_type.clone(), new.value.clone());
            a.put_ssm_parameter(m.id, &kind, &value);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn delete_parameter(a: &mut Account, r: &StackResource, id: &str) -> Result<(), String> {
    a.delete_inert(&r.resource_type, id);
    match a.ssm_parameter(id).is_some() {
        true => super::kind::svc(a.delete_ssm_parameter(id)),
        false => Ok(()),
    }
}

/// The KMS, Secrets Manager and SSM types' records.
pub(super) const KINDS: &[Kind] = &[
    Kind { update: Some(update_key), ..kind("AWS::KMS::Key", key, delete_key) },
    Kind {
        replacing: &["AliasName"],
        update: Some(update_alias),
        ..kind("AWS::KMS::Alias", alias, |a, r, id| {
            a.delete_inert(&r.resource_type, id);
            match a.kms_aliases.contains_key(id) {
                true => a.delete_alias(id).map_err(|e| e.message),
                false => Ok(()),
            }
        })
    },
    Kind {
        replacing: &["Name"],
        update: Some(update_secret),
        ..kind("AWS::SecretsManager::Secret", secret, delete_secret)
    },
    Kind {
        replacing: &["Name"],
        update: Some(update_parameter),
        ..kind("AWS::SSM::Parameter", parameter, delete_parameter)
    },
];
