//! Arbitrary bytes through the loader, the template reader, the dependency
//! graph, conditions and the parameter-file parsers: none of them may panic.
#![no_main]

use cfn::resolve::{NoResources, Pseudo, Resolver};
use cfn::template::Template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = cfn::params::parse_parameters_file(text);
        let _ = cfn::params::parse_cfg_file(text);
    }
    let Ok(root) = cfn::load::load_bytes(data) else { return };
    let (template, _) = Template::from_node(&root, None);
    let _ = cfn::graph::build(&template);
    let (decls, _) = cfn::params::read_decls(&template);
    let (values, _) = cfn::params::resolve_parameters(&decls, &[], &[], &());
    let pseudo = Pseudo::new("123456789012", "us-east-1", "fuzz");
    let resolver = Resolver::new(&template, &values, &pseudo, &NoResources);
    let _ = resolver.evaluate_all_conditions();
    for r in template.resources.values() {
        if let Some(p) = &r.properties {
            if let Ok(resolved) = resolver.resolve_value(p) {
                let _ = cfn::spec::validate_properties(&r.logical_id, &r.type_name, &resolved, "Resources");
            }
        }
    }
});
