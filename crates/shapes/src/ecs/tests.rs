use super::*;

#[test]
fn resources_use_the_api_list_shape() {
    let r = InstanceResources { cpu: 2048, memory: 3955, ports: vec![22, 2376], ports_udp: vec![] };
    let v = resources_json(&r);
    assert_eq!(
        v[0],
        json!({"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 2048})
    );
    assert_eq!(v[2]["stringSetValue"], json!(["22", "2376"]));
    assert_eq!(v[3]["name"], "PORTS_UDP");
}
