use super::*;

#[test]
fn state_codes_are_ec2s() {
    assert_eq!(state_code("running"), Some(16));
    assert_eq!(state_code("stopped"), Some(80));
    assert_eq!(state_code("unknown"), None);
}
