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

fn patterns() -> Zone {
    Zone::new(vec![
        ("*.dkr.ecr.us-east-1.amazonaws.com".into(), Ipv4Addr::new(203, 0, 113, 134)),
        ("*.s3.us-east-1.amazonaws.com".into(), Ipv4Addr::new(203, 0, 113, 193)),
        ("s3.us-east-1.amazonaws.com".into(), Ipv4Addr::new(203, 0, 113, 193)),
        ("ecs-a-*.us-east-1.amazonaws.com".into(), Ipv4Addr::new(203, 0, 113, 131)),
        ("ecs.us-east-1.amazonaws.com".into(), Ipv4Addr::new(203, 0, 113, 130)),
        ("*.example.test".into(), Ipv4Addr::new(192, 0, 2, 1)),
        ("www*.example.test".into(), Ipv4Addr::new(192, 0, 2, 2)),
        ("exact.example.test".into(), Ipv4Addr::new(192, 0, 2, 3)),
    ])
}

fn ask_in(zone: &Zone, name: &str) -> DnsResponse {
    parse_response(&answer(&build_query(5, name, TYPE_A).unwrap(), zone).unwrap()).unwrap()
}

#[test]
fn a_star_label_answers_for_any_one_label() {
    let z = patterns();
    let r = ask_in(&z, "123456789012.dkr.ecr.us-east-1.amazonaws.com");
    assert_eq!((r.rcode, r.answers), (NOERROR, vec![(Ipv4Addr::new(203, 0, 113, 134), TTL)]));
    assert_eq!(z.lookup("My-Bucket.S3.us-east-1.amazonaws.com."), Some(&[Ipv4Addr::new(203, 0, 113, 193)][..]));
    assert_eq!(z.lookup("s3.us-east-1.amazonaws.com"), Some(&[Ipv4Addr::new(203, 0, 113, 193)][..]));
    // One label only, and never the parent itself.
    assert_eq!(ask_in(&z, "a.b.dkr.ecr.us-east-1.amazonaws.com").rcode, NXDOMAIN);
    assert_eq!(ask_in(&z, "dkr.ecr.us-east-1.amazonaws.com").rcode, NXDOMAIN);
    // Another type for a covered name is an empty answer, as for an exact one.
    let r = parse_response(&answer(&build_query(5, "x.s3.us-east-1.amazonaws.com", TYPE_AAAA).unwrap(), &z).unwrap())
        .unwrap();
    assert_eq!((r.rcode, r.answers.len()), (NOERROR, 0));
}

#[test]
fn a_prefix_pattern_answers_for_labels_starting_so() {
    let z = patterns();
    assert_eq!(z.lookup("ecs-a-1.us-east-1.amazonaws.com"), Some(&[Ipv4Addr::new(203, 0, 113, 131)][..]));
    assert_eq!(z.lookup("ECS-A-17.us-east-1.amazonaws.com"), Some(&[Ipv4Addr::new(203, 0, 113, 131)][..]));
    assert_eq!(z.lookup("ecs.us-east-1.amazonaws.com"), Some(&[Ipv4Addr::new(203, 0, 113, 130)][..]));
    assert_eq!(z.lookup("ecs-t-1.us-east-1.amazonaws.com"), None);
    // Exact names win, then the longest prefix.
    assert_eq!(z.lookup("exact.example.test"), Some(&[Ipv4Addr::new(192, 0, 2, 3)][..]));
    assert_eq!(z.lookup("www2.example.test"), Some(&[Ipv4Addr::new(192, 0, 2, 2)][..]));
    assert_eq!(z.lookup("mail.example.test"), Some(&[Ipv4Addr::new(192, 0, 2, 1)][..]));
    // A star inside a label is just a character.
    let odd = Zone::new(vec![("a*b.test".into(), Ipv4Addr::new(192, 0, 2, 9))]);
    assert_eq!(odd.lookup("a*b.test"), Some(&[Ipv4Addr::new(192, 0, 2, 9)][..]));
    assert_eq!(odd.lookup("axb.test"), None);
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
