use super::*;
use proptest::prelude::*;

fn zone() -> Zone {
    Zone::new(vec![
        ("example.com".into(), Ipv4Addr::new(203, 0, 113, 10)),
        ("Multi.Example.com.".into(), Ipv4Addr::new(203, 0, 113, 11)),
        ("multi.example.com".into(), Ipv4Addr::new(203, 0, 113, 12)),
    ])
}

fn ask(name: &str, qtype: u16) -> DnsResponse {
    let query = build_query(0x1234, name, qtype).unwrap();
    parse_response(&answer(&query, &zone()).unwrap()).unwrap()
}

#[test]
fn a_queries_get_the_zone_addresses_with_ttl_60() {
    let r = ask("example.com", TYPE_A);
    assert_eq!((r.id, r.rcode, r.truncated), (0x1234, NOERROR, false));
    assert_eq!(r.answers, [(Ipv4Addr::new(203, 0, 113, 10), TTL)]);
    let r = ask("MULTI.example.COM.", TYPE_A);
    assert_eq!(
        r.answers.iter().map(|a| a.0).collect::<Vec<_>>(),
        [Ipv4Addr::new(203, 0, 113, 11), Ipv4Addr::new(203, 0, 113, 12)]
    );
}

#[test]
fn unknown_names_are_nxdomain_and_other_types_empty() {
    let r = ask("nope.example.com", TYPE_A);
    assert_eq!((r.rcode, r.answers.len()), (NXDOMAIN, 0));
    let r = ask("example.com", TYPE_AAAA);
    assert_eq!((r.rcode, r.answers.len()), (NOERROR, 0));
}

#[test]
fn the_question_keeps_the_askers_case() {
    let query = build_query(7, "ExAmple.com", TYPE_A).unwrap();
    let response = answer(&query, &zone()).unwrap();
    assert_eq!(&response[12..query.len()], &query[12..]);
}

#[test]
fn other_opcodes_are_notimp() {
    let mut query = build_query(9, "example.com", TYPE_A).unwrap();
    query[2] |= 2 << 3; // opcode 2, STATUS
    let r = parse_response(&answer(&query, &zone()).unwrap()).unwrap();
    assert_eq!((r.id, r.rcode), (9, NOTIMP));
}

#[test]
fn other_classes_are_refused() {
    let mut query = build_query(9, "example.com", TYPE_A).unwrap();
    let n = query.len();
    query[n - 1] = 3; // CHAOS
    assert_eq!(parse_response(&answer(&query, &zone()).unwrap()).unwrap().rcode, REFUSED);
}

#[test]
fn garbage_is_formerr_or_ignored() {
    assert_eq!(answer(&[1, 2, 3], &zone()), None);
    let mut response = build_query(1, "example.com", TYPE_A).unwrap();
    response[2] |= 0x80;
    assert_eq!(answer(&response, &zone()), None, "responses are never answered");
    let mut cut = build_query(1, "example.com", TYPE_A).unwrap();
    cut.truncate(20);
    assert_eq!(parse_response(&answer(&cut, &zone()).unwrap()).unwrap().rcode, FORMERR);
}

#[test]
fn compression_pointers_may_not_loop() {
    let mut query = build_query(1, "a", TYPE_A).unwrap();
    query.truncate(12);
    query.extend_from_slice(&[0xC0, 0x0C, 0, 1, 0, 1]); // points at itself
    assert_eq!(parse_response(&answer(&query, &zone()).unwrap()).unwrap().rcode, FORMERR);
}

#[test]
fn many_addresses_are_truncated_to_512_bytes() {
    let big = Zone::new((0..100).map(|i| ("big.test".to_string(), Ipv4Addr::new(10, 0, 0, i))).collect());
    let response = answer(&build_query(1, "big.test", TYPE_A).unwrap(), &big).unwrap();
    assert!(response.len() <= 512);
    let r = parse_response(&response).unwrap();
    assert!(r.truncated && !r.answers.is_empty());
}

#[test]
fn bad_names_cannot_be_queried() {
    assert_eq!(build_query(1, "a..b", TYPE_A), Err(DnsError::BadLabel));
    assert_eq!(build_query(1, &"x".repeat(64), TYPE_A), Err(DnsError::BadLabel));
    assert_eq!(build_query(1, &vec!["abcdefgh"; 40].join("."), TYPE_A), Err(DnsError::NameTooLong));
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Some(response) = answer(&bytes, &zone()) {
            prop_assert!(response.len() <= 512);
            prop_assert!(parse_response(&response).is_ok());
        }
        let _ = parse_response(&bytes);
    }

    #[test]
    fn mutated_queries_never_panic(index in 0usize..40, byte in any::<u8>()) {
        let mut query = build_query(3, "multi.example.com", TYPE_A).unwrap();
        if index < query.len() {
            query[index] = byte;
        }
        let _ = answer(&query, &zone());
    }

    #[test]
    fn every_zone_name_round_trips(labels in proptest::collection::vec("[a-zA-Z0-9-]{1,20}", 1..5), octets in any::<[u8; 4]>()) {
        let name = labels.join(".");
        let address = Ipv4Addr::from(octets);
        let zone = Zone::new(vec![(name.to_lowercase(), address)]);
        let response = answer(&build_query(42, &name, TYPE_A).unwrap(), &zone).unwrap();
        let r = parse_response(&response).unwrap();
        prop_assert_eq!(r.rcode, NOERROR);
        prop_assert_eq!(r.answers, vec![(address, TTL)]);
    }
}
