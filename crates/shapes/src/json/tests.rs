use super::*;

#[test]
fn prune_drops_nulls_at_every_depth_and_keeps_empty_lists() {
    let v = json!({"a": null, "b": [ {"c": null, "d": 1} ], "e": [], "f": {"g": null}});
    assert_eq!(prune(v), json!({"b": [ {"d": 1} ], "e": [], "f": {}}));
}

#[test]
fn tags_and_lists() {
    assert_eq!(ec2_tags(&Tags::new()), Value::Null);
    let tags: Tags = [("Name".to_string(), "web".to_string())].into_iter().collect();
    assert_eq!(ec2_tags(&tags), json!([{"Key": "Name", "Value": "web"}]));
    assert_eq!(non_empty(Vec::new()), Value::Null);
    assert_eq!(non_empty(vec![json!(1)]), json!([1]));
    assert_eq!(opt_timestamp(None), Value::Null);
    assert_eq!(timestamp(0), json!("1970-01-01T00:00:00+00:00"));
}
