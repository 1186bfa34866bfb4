mod support;
#[test]
fn dump() {
    let a = support::example();
    std::fs::write("/tmp/example.json", serde_json::to_string_pretty(&a).unwrap()).unwrap();
}
