//! Instance metadata's categories and the instance identity document.

use super::{MetadataTree, ServedCredentials};
use crate::ec2::autoscaling::iso_time;
use crate::Account;

/// The instance identity document (AWS doc "Instance identity documents":
/// its fields, in AWS's order; the null ones are those an instance without
/// marketplace codes, kernel or ramdisk has).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityDocument {
    /// The account.
    pub account_id: String,
    /// `x86_64` or `arm64`.
    pub architecture: String,
    /// Its zone.
    pub availability_zone: String,
    /// Its AMI.
    pub image_id: String,
    /// `i-…`.
    pub instance_id: String,
    /// e.g. `t3.micro`.
    pub instance_type: String,
    /// When it was launched.
    pub pending_time: String,
    /// Its primary private address.
    pub private_ip: String,
    /// Its region.
    pub region: String,
}

impl IdentityDocument {
    /// The document as IMDS writes it (pretty-printed, `"key" : value`).
    pub fn to_json(&self) -> String {
        let s = |v: &str| serde_json::Value::String(v.to_string()).to_string();
        let fields: [(&str, String); 15] = [
            ("accountId", s(&self.account_id)),
            ("architecture", s(&self.architecture)),
            ("availabilityZone", s(&self.availability_zone)),
            ("billingProducts", "null".into()),
            ("devpayProductCodes", "null".into()),
            ("marketplaceProductCodes", "null".into()),
            ("imageId", s(&self.image_id)),
            ("instanceId", s(&self.instance_id)),
            ("instanceType", s(&self.instance_type)),
            ("kernelId", "null".into()),
            ("pendingTime", s(&self.pending_time)),
            ("privateIp", s(&self.private_ip)),
            ("ramdiskId", "null".into()),
            ("region", s(&self.region)),
            // The document's format version (AWS doc "Instance identity documents").
            ("version", s("2017-09-30")),
        ];
        pretty(&fields)
    }
}

/// `{ "k" : v, … }` with two-space indents, as IMDS prints its JSON documents.
pub(crate) fn pretty(fields: &[(&str, String)]) -> String {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("  \"{k}\" : {v}")).collect();
    format!("{{\n{}\n}}", body.join(",\n"))
}

/// `arm64` for Graviton types (a `g` after the generation digit: `t4g`,
/// `m6gd`, `c7gn`) and `a1`, else `x86_64`. Inferred from AWS's naming
/// ("Amazon EC2 instance type naming conventions"), not a table.
fn architecture(instance_type: &str) -> &'static str {
    let family = instance_type.split('.').next().unwrap_or("");
    let after_digit = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = after_digit.trim_start_matches(|c: char| c.is_ascii_digit());
    if family == "a1" || suffix.starts_with('g') {
        "arm64"
    } else {
        "x86_64"
    }
}

/// The identity document of a known instance.
pub fn identity_document(account: &Account, instance_id: &str) -> Option<IdentityDocument> {
    let i = account.instances.get(instance_id)?;
    Some(IdentityDocument {
        account_id: account.account_id.clone(),
        architecture: architecture(&i.instance_type).to_string(),
        availability_zone: i.availability_zone.clone(),
        image_id: i.image_id.clone().unwrap_or_default(),
        instance_id: i.instance_id.clone(),
        instance_type: i.instance_type.clone(),
        pending_time: iso_time(i.launch_time),
        private_ip: i.private_ip_address.to_string(),
        region: account.region.clone(),
    })
}

/// The credentials document of `iam/security-credentials/<role>` (AWS doc
/// "Retrieve security credentials from instance metadata").
pub fn credentials_document(c: &ServedCredentials) -> String {
    let s = |v: &str| serde_json::Value::String(v.to_string()).to_string();
    pretty(&[
        ("Code", s("Success")),
        ("LastUpdated", s(&c.last_updated())),
        ("Type", s("AWS-HMAC")),
        ("AccessKeyId", s(&c.session.access_key_id)),
        ("SecretAccessKey", s(&c.session.secret_access_key)),
        ("Token", s(&c.session.session_token)),
        ("Expiration", s(&c.expiration())),
    ])
}

/// Every metadata item of a known instance at `now_ms` (wall clock), by
/// path under `/latest/` (AWS doc "Instance metadata categories"; the
/// categories the SDKs and the ECS agent read, not all of them).
pub fn instance_metadata(account: &Account, instance_id: &str, now_ms: u64) -> Option<MetadataTree> {
    let i = account.instances.get(instance_id)?;
    let mut t = MetadataTree::new();
    let mut put = |k: &str, v: String| {
        t.insert(k.to_string(), v);
    };
    let md = "meta-data";
    put(&format!("{md}/ami-id"), i.image_id.clone().unwrap_or_default());
    put(&format!("{md}/ami-launch-index"), "0".into());
    put(&format!("{md}/hostname"), i.private_dns_name.clone());
    put(&format!("{md}/local-hostname"), i.private_dns_name.clone());
    put(&format!("{md}/instance-id"), i.instance_id.clone());
    put(&format!("{md}/instance-type"), i.instance_type.clone());
    put(&format!("{md}/local-ipv4"), i.private_ip_address.to_string());
    put(&format!("{md}/placement/availability-zone"), i.availability_zone.clone());
    put(&format!("{md}/placement/region"), account.region.clone());
    put(&format!("{md}/services/domain"), "amazonaws.com".into());
    put(&format!("{md}/services/partition"), "aws".into());
    if let Some(ip) = i.public_ip_address {
        put(&format!("{md}/public-ipv4"), ip.to_string());
    }
    if let Some(name) = i.public_dns_name.as_ref().filter(|n| !n.is_empty()) {
        put(&format!("{md}/public-hostname"), name.clone());
    }
    let group_name = |id: &String| account.security_groups.get(id).map_or(id.clone(), |g| g.group_name.clone());
    let names: Vec<String> = i.security_group_ids.iter().map(group_name).collect();
    put(&format!("{md}/security-groups"), names.join("\n"));
    for (n, eni_id) in i.network_interface_ids.iter().enumerate() {
        let Some(eni) = account.network_interfaces.get(eni_id) else { continue };
        if n == 0 {
            put(&format!("{md}/mac"), eni.mac_address.clone());
        }
        let m = format!("{md}/network/interfaces/macs/{}", eni.mac_address);
        let device = eni.attachment.as_ref().map_or(n as u32, |a| a.device_index);
        put(&format!("{m}/device-number"), device.to_string());
        put(&format!("{m}/interface-id"), eni.network_interface_id.clone());
        put(&format!("{m}/local-hostname"), eni.private_dns_name.clone());
        put(&format!("{m}/local-ipv4s"), eni.private_ip_address.to_string());
        put(&format!("{m}/mac"), eni.mac_address.clone());
        put(&format!("{m}/owner-id"), account.account_id.clone());
        put(&format!("{m}/security-group-ids"), eni.groups.join("\n"));
        put(&format!("{m}/security-groups"), eni.groups.iter().map(group_name).collect::<Vec<_>>().join("\n"));
        put(&format!("{m}/subnet-id"), eni.subnet_id.clone());
        put(&format!("{m}/vpc-id"), eni.vpc_id.clone());
        if let Some(s) = account.subnets.get(&eni.subnet_id) {
            put(&format!("{m}/subnet-ipv4-cidr-block"), s.cidr_block.to_string());
        }
        if let Some(v) = account.vpcs.get(&eni.vpc_id) {
            put(&format!("{m}/vpc-ipv4-cidr-block"), v.cidr_block.to_string());
            put(&format!("{m}/vpc-ipv4-cidr-blocks"), v.cidr_block.to_string());
        }
        if let Some(a) = &eni.association {
            put(&format!("{m}/public-ipv4s"), a.public_ip.to_string());
            put(&format!("{m}/public-hostname"), a.public_dns_name.clone());
        }
    }
    if let (Some(profile), Some(c)) =
        (account.instance_profile(instance_id), account.served_instance_credentials(instance_id, now_ms))
    {
        let s = |v: &str| serde_json::Value::String(v.to_string()).to_string();
        let profile_arn = profile.arn.clone().unwrap_or_default();
        // IAM's prefix for instance profile IDs is AIPA ("IAM identifiers"); derived from the ARN.
        let [a, b] = crate::ids::hash_words(&account.account_id, 0, &profile_arn);
        let profile_id = format!("AIPA{}", crate::ids::hex_chars([a, b], 17).to_ascii_uppercase());
        let info = pretty(&[
            ("Code", s("Success")),
            ("LastUpdated", s(&c.last_updated())),
            ("InstanceProfileArn", s(&profile_arn)),
            ("InstanceProfileId", s(&profile_id)),
        ]);
        t.insert(format!("{md}/iam/info"), info);
        let role = super::role_name(&c.role_arn).to_string();
        t.insert(format!("{md}/iam/security-credentials/{role}"), credentials_document(&c));
    }
    let doc = identity_document(account, instance_id)?;
    t.insert("dynamic/instance-identity/document".into(), doc.to_json());
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::architecture;

    #[test]
    fn graviton_types_are_arm64() {
        for t in ["t4g.small", "m6gd.large", "c7gn.xlarge", "a1.medium"] {
            assert_eq!(architecture(t), "arm64", "{t}");
        }
        for t in ["t3.micro", "m5.large", "c6i.xlarge", "m1.small", ""] {
            assert_eq!(architecture(t), "x86_64", "{t}");
        }
    }
}
