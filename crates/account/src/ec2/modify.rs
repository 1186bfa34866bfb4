//! The EC2 calls that change a resource in place: CreateTags/DeleteTags,
//! ModifyVpcAttribute, ReplaceRoute and CreateLaunchTemplateVersion (ModifySubnetAttribute is
//! `set_map_public_ip_on_launch`, next to the subnet). CloudFormation's
//! in-place updates go through these, like any other door.
//!
//! AWS doc: "CreateTags", "DeleteTags", "ModifyVpcAttribute", "ReplaceRoute"
//! (Amazon EC2 API Reference).

use crate::cidr::Ipv4Cidr;
use crate::{Account, Ec2Error, LaunchTemplate, Origin, RouteTarget, Tags};

/// One attribute ModifyVpcAttribute sets (the API takes one per call).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VpcAttribute {
    /// `EnableDnsSupport`: the Amazon-provided resolver answers in the VPC.
    EnableDnsSupport(bool),
    /// `EnableDnsHostnames`: instances get public DNS names.
    EnableDnsHostnames(bool),
}

impl Account {
    /// The tags of the resource `id`, of any kind EC2 tags.
    fn tags_mut(&mut self, id: &str) -> Result<&mut Tags, Ec2Error> {
        // Looked up by map rather than by prefix: every kind's IDs are distinct.
        if let Some(v) = self.vpcs.get_mut(id) {
            return Ok(&mut v.tags);
        }
        if let Some(s) = self.subnets.get_mut(id) {
            return Ok(&mut s.tags);
        }
        if let Some(g) = self.security_groups.get_mut(id) {
            return Ok(&mut g.tags);
        }
        if let Some(t) = self.route_tables.get_mut(id) {
            return Ok(&mut t.tags);
        }
        if let Some(g) = self.internet_gateways.get_mut(id) {
            return Ok(&mut g.tags);
        }
        if let Some(n) = self.nat_gateways.get_mut(id) {
            return Ok(&mut n.tags);
        }
        if let Some(a) = self.addresses.get_mut(id) {
            return Ok(&mut a.tags);
        }
        if let Some(a) = self.network_acls.get_mut(id) {
            return Ok(&mut a.tags);
        }
        if let Some(e) = self.network_interfaces.get_mut(id) {
            return Ok(&mut e.tags);
        }
        if let Some(i) = self.instances.get_mut(id) {
            return Ok(&mut i.tags);
        }
        if let Some(e) = self.vpc_endpoints.get_mut(id) {
            return Ok(&mut e.tags);
        }
        // Inferred: AWS's code here is InvalidID; the text is not in our facts.
        Err(Ec2Error::InvalidParameterValue(format!("The ID '{id}' is not valid")))
    }

    /// CreateTags: adds or overwrites `tags` on each resource (all or none).
    pub fn create_tags(&mut self, resources: &[String], tags: &[(String, String)]) -> Result<(), Ec2Error> {
        for id in resources {
            self.tags_mut(id)?;
        }
        for id in resources {
            let t = self.tags_mut(id)?;
            for (k, v) in tags {
                t.insert(k.clone(), v.clone());
            }
        }
        Ok(())
    }

    /// DeleteTags: removes the tags with these keys from each resource (all or none).
    pub fn delete_tags(&mut self, resources: &[String], keys: &[String]) -> Result<(), Ec2Error> {
        let tags: Vec<(String, Option<String>)> = keys.iter().map(|k| (k.clone(), None)).collect();
        self.delete_tags_matching(resources, &tags)
    }

    /// DeleteTags with values: a tag given with a value goes only where it
    /// has that value (an empty value too); without one, whatever its value
    /// (AWS doc "DeleteTags", the Tags parameter).
    pub fn delete_tags_matching(
        &mut self,
        resources: &[String],
        tags: &[(String, Option<String>)],
    ) -> Result<(), Ec2Error> {
        for id in resources {
            self.tags_mut(id)?;
        }
        for id in resources {
            let t = self.tags_mut(id)?;
            for (k, v) in tags {
                if v.as_ref().is_none_or(|v| t.get(k) == Some(v)) {
                    t.remove(k);
                }
            }
        }
        Ok(())
    }

    /// The CreateTags and DeleteTags that make `id`'s tags equal `wanted`
    /// (what CloudFormation does with a changed `Tags` property).
    pub fn retag(&mut self, id: &str, wanted: &Tags) -> Result<(), Ec2Error> {
        let current = self.tags_mut(id)?.clone();
        let gone: Vec<String> = current.keys().filter(|k| !wanted.contains_key(*k)).cloned().collect();
        let set: Vec<(String, String)> =
            wanted.iter().filter(|(k, v)| current.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect();
        let ids = [id.to_string()];
        if !gone.is_empty() {
            self.delete_tags(&ids, &gone)?;
        }
        if !set.is_empty() {
            self.create_tags(&ids, &set)?;
        }
        Ok(())
    }

    /// CreateLaunchTemplate: `data` as a new `lt-…` at version 1; a name in use is refused.
    pub fn create_launch_template(&mut self, data: LaunchTemplate) -> Result<LaunchTemplate, Ec2Error> {
        if self.launch_templates.values().any(|t| t.launch_template_name == data.launch_template_name) {
            // Inferred text (EC2's code is InvalidLaunchTemplateName.AlreadyExistsException).
            return Err(Ec2Error::InvalidParameterValue(format!(
                "Launch template name already in use: {}",
                data.launch_template_name
            )));
        }
        let id = self.new_id(crate::ids::prefix::LAUNCH_TEMPLATE);
        let t = LaunchTemplate { launch_template_id: id, latest_version_number: 1, ..data };
        self.put_launch_template(t.clone());
        Ok(t)
    }

    /// CreateLaunchTemplateVersion: `data` becomes the template's new latest
    /// version (tasknet keeps only the latest version's data).
    pub fn create_launch_template_version(
        &mut self,
        launch_template_id: &str,
        data: LaunchTemplate,
    ) -> Result<LaunchTemplate, Ec2Error> {
        let Some(t) = self.launch_templates.get_mut(launch_template_id) else {
            // Inferred text (EC2's code is InvalidLaunchTemplateId.NotFound).
            return Err(Ec2Error::InvalidParameterValue(format!(
                "The specified launch template, with template ID {launch_template_id}, does not exist."
            )));
        };
        let version = t.latest_version_number + 1;
        *t =
            LaunchTemplate { launch_template_id: t.launch_template_id.clone(), latest_version_number: version, ..data };
        Ok(t.clone())
    }

    /// ModifyVpcAttribute.
    pub fn modify_vpc_attribute(&mut self, vpc_id: &str, attribute: VpcAttribute) -> Result<(), Ec2Error> {
        self.vpc(vpc_id)?;
        if let Some(v) = self.vpcs.get_mut(vpc_id) {
            match attribute {
                VpcAttribute::EnableDnsSupport(on) => v.enable_dns_support = on,
                VpcAttribute::EnableDnsHostnames(on) => v.enable_dns_hostnames = on,
            }
        }
        Ok(())
    }

    /// ReplaceRoute: the route to `destination` gets a new target (checked
    /// as CreateRoute checks it); `declared` is where a template declares it.
    pub fn replace_route(
        &mut self,
        route_table_id: &str,
        destination: &str,
        target: RouteTarget,
        declared: Origin,
    ) -> Result<(), Ec2Error> {
        let table = self.route_table(route_table_id)?;
        let vpc_id = table.vpc_id.clone();
        let dest = Ipv4Cidr::parse(destination).ok();
        if !table.routes.iter().any(|r| r.destination_cidr_block.is_some() && r.destination_cidr_block == dest) {
            // Inferred text: DeleteRoute's.
            return Err(Ec2Error::RouteNotFound(format!(
                "no route with destination-cidr-block {destination} in route table {route_table_id}"
            )));
        }
        self.check_route_target(route_table_id, &vpc_id, &target)?;
        if let Some(t) = self.route_tables.get_mut(route_table_id) {
            for r in
                t.routes.iter_mut().filter(|r| r.destination_cidr_block.is_some() && r.destination_cidr_block == dest)
            {
                r.target = target.clone();
                r.template_origin = declared.clone();
            }
        }
        Ok(())
    }
}
