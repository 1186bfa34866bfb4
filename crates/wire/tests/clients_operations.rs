//! `GET /_tasknet/operations`, which the Python tests of real clients
//! (tests/wire/) walk: it must name every service by botocore's client name
//! and list only operations the service's model has, or those tests would
//! call operations botocore cannot build.

use wire::server::operations_json;
use wire::Service;

#[test]
fn the_listing_names_every_service_as_botocore_does_and_only_modeled_operations() {
    let listing: serde_json::Value = serde_json::from_str(&operations_json()).expect("the listing is JSON");
    let listing = listing.as_object().expect("an object");
    assert_eq!(listing.len(), Service::ALL.len());
    for service in Service::ALL {
        let ops = listing[service.botocore_name()].as_array().expect("a list per service");
        for op in ops {
            let op = op.as_str().expect("operation names are text");
            assert!(service.model().operation(op).is_some(), "{op} is listed for {service:?} but not in its model");
        }
    }
    assert!(listing["sts"].as_array().is_some_and(|ops| ops.iter().any(|o| o == "GetCallerIdentity")));
    assert_eq!(Service::Elbv2.botocore_name(), "elbv2");
}
