//! The walk's part of custom resources: Create and Update sent to the
//! provider while the stack is executed (the preview records them as a
//! plan does), the answer recorded as the resource.

use super::custom::{self, Request, RequestType};
use super::walk::{planned_from, Walk};
use crate::analyze::Step;
use crate::planner::{Planned, Planner, ResolvedResource};
use account::StackResource;
use cfn::{Node, Pos};

/// True for the types CloudFormation treats as custom resources.
pub fn is_custom(resource_type: &str) -> bool {
    cfn::spec::is_custom_type(resource_type)
}

fn planned_of(resp: &custom::Response) -> Planned {
    let mut planned = Planned::new(resp.physical_id.clone());
    for (k, v) in &resp.data {
        planned.attributes.insert(k.clone(), Node::from_json(v, Pos::default()));
    }
    planned
}

impl Walk<'_> {
    /// Whether this custom resource is sent to its provider now: only while
    /// executing, with a host that delivers requests, and not named in the
    /// user's outputs file (which overrides the function).
    pub(crate) fn sends(&mut self, p: &Planner, r: &ResolvedResource) -> bool {
        self.execute
            && is_custom(&r.resource_type)
            && !p.custom_attributes.contains_key(&r.logical_id)
            && !self.errors.contains_key(&r.logical_id)
            && self.observer.custom_resources().is_some()
    }

    /// Create: the record is CREATE_IN_PROGRESS already.
    pub(crate) fn custom_create(&mut self, p: &mut Planner, r: &ResolvedResource) -> Step {
        let props = r.properties.to_json();
        self.status(&mut p.account, r, None, "CREATE_IN_PROGRESS", Some("Resource creation Initiated"));
        let req = Request {
            request_type: RequestType::Create,
            stack_id: &self.stack_id,
            logical_id: &r.logical_id,
            resource_type: &r.resource_type,
            properties: &props,
            old_properties: None,
            physical_id: None,
        };
        let sent = match self.observer.custom_resources() {
            Some(provider) => custom::send(provider, &mut p.account, &req),
            None => return Step::Create,
        };
        match sent {
            Ok(resp) => {
                let planned = planned_of(&resp);
                self.put_custom(p, r, &resp, "CREATE_IN_PROGRESS");
                self.status(&mut p.account, r, Some(&resp.physical_id), "CREATE_COMPLETE", None);
                self.observer.checkpoint(&p.account);
                Step::Keep(planned)
            }
            Err(f) => {
                // A failed Create keeps the physical ID it answered with: the rollback sends it a Delete.
                if let Some(id) = &f.physical_id {
                    self.put_record(&mut p.account, r, Some(id), "CREATE_FAILED", Default::default());
                }
                self.fail(&mut p.account, r, f.physical_id.as_deref(), "CREATE_FAILED", &f.reason);
                Step::Stop
            }
        }
    }

    /// Update of changed properties: a new physical ID in the answer means
    /// replacement, and the old one gets its Delete in the cleanup phase.
    pub(crate) fn custom_update(&mut self, p: &mut Planner, r: &ResolvedResource, old: &StackResource) -> Step {
        let props = r.properties.to_json();
        let physical = old.physical_resource_id.clone().unwrap_or_default();
        self.status(&mut p.account, r, Some(&physical), "UPDATE_IN_PROGRESS", None);
        if custom::service_token(&props) != custom::service_token(&old.properties) {
            // Seen (users' reports of CloudFormation's refusal).
            self.fail(&mut p.account, r, Some(&physical), "UPDATE_FAILED", "Modifying service token is not allowed.");
            return Step::Stop;
        }
        let req = Request {
            request_type: RequestType::Update,
            stack_id: &self.stack_id,
            logical_id: &r.logical_id,
            resource_type: &r.resource_type,
            properties: &props,
            old_properties: Some(&old.properties),
            physical_id: Some(&physical),
        };
        let sent = match self.observer.custom_resources() {
            Some(provider) => custom::send(provider, &mut p.account, &req),
            None => return Step::Keep(planned_from(old)),
        };
        match sent {
            Ok(resp) => {
                if resp.physical_id != physical {
                    self.replaced.push(old.clone());
                } else {
                    self.updated.push(r.logical_id.clone());
                }
                self.put_custom(p, r, &resp, "UPDATE_IN_PROGRESS");
                self.status(&mut p.account, r, Some(&resp.physical_id), "UPDATE_COMPLETE", None);
                self.observer.checkpoint(&p.account);
                Step::Keep(planned_of(&resp))
            }
            Err(f) => {
                self.fail(&mut p.account, r, Some(&physical), "UPDATE_FAILED", &f.reason);
                Step::Stop
            }
        }
    }

    fn put_custom(&mut self, p: &mut Planner, r: &ResolvedResource, resp: &custom::Response, status: &str) {
        self.put_record(&mut p.account, r, Some(&resp.physical_id), status, custom::attributes(resp));
        if resp.no_echo {
            if let Some(rec) = p
                .account
                .stacks
                .get_mut(&self.stack_id)
                .and_then(|s| s.resources.iter_mut().rev().find(|x| x.logical_resource_id == r.logical_id))
            {
                rec.no_echo = true;
            }
        }
    }
}
