use super::*;
use serde_json::json;

fn doc(n: usize) -> Value {
    json!({"Vpcs": (0..n).map(|i| json!({"VpcId": format!("vpc-{i}")})).collect::<Vec<_>>()})
}

#[test]
fn pages_follow_the_token_to_the_end() {
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut input = json!({"MaxResults": 5});
        if let Some(t) = &token {
            input["NextToken"] = json!(t);
        }
        let out = page(doc(12), "Vpcs", &input, "DescribeVpcs").unwrap_or_else(|e| panic!("{e}"));
        seen.extend(out["Vpcs"].as_array().into_iter().flatten().cloned());
        match out.get("NextToken").and_then(Value::as_str) {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, doc(12)["Vpcs"].as_array().cloned().unwrap_or_default());
    let whole = page(doc(12), "Vpcs", &json!({}), "DescribeVpcs").unwrap_or_else(|e| panic!("{e}"));
    assert!(whole.get("NextToken").is_none(), "no MaxResults, one page");
}

#[test]
fn max_results_outside_the_models_range_and_a_foreign_token_are_refused() {
    let e = page(doc(1), "Vpcs", &json!({"MaxResults": 1}), "DescribeVpcs").unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    assert_eq!(e.message, "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.");
    let e = page(doc(1), "Vpcs", &json!({"NextToken": "x"}), "DescribeVpcs").unwrap_err();
    assert_eq!(e.code, "InvalidPaginationToken");
}

#[test]
fn tag_specifications_give_every_tag() {
    let input =
        json!({"TagSpecifications": [{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "a"}, {"Key": "k"}]}]});
    assert_eq!(tag_specifications(&input), vec![("Name".into(), "a".into()), ("k".into(), String::new())]);
}

#[test]
fn a_dry_run_is_ec2s_412() {
    let e = dry_run(&json!({"DryRun": true})).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (412, "DryRunOperation"));
    assert!(dry_run(&json!({})).is_ok());
}
