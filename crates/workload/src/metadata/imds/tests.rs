use super::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

fn view(required: bool) -> InstanceView {
    let mut tree = MetadataTree::new();
    for (k, v) in [
        ("meta-data/instance-id", "i-0123456789abcdef0"),
        ("meta-data/local-ipv4", "10.0.1.5"),
        ("meta-data/placement/availability-zone", "us-east-1a"),
        ("meta-data/iam/security-credentials/ecs-instance", "{\n  \"Code\" : \"Success\"\n}"),
        ("dynamic/instance-identity/document", "{}"),
    ] {
        tree.insert(k.into(), v.into());
    }
    InstanceView { tree, tokens_required: required }
}

/// An endpoint on a clock the test moves.
fn imds(required: bool) -> (Imds, Arc<AtomicU64>) {
    let clock = Arc::new(AtomicU64::new(1_000_000));
    let c = clock.clone();
    (Imds::new(move || Some(view(required)), move || c.load(Ordering::SeqCst)), clock)
}

fn token(i: &Imds, ttl: &str) -> Answer {
    i.answer(&Ask::new("PUT", "/latest/api/token").header(TTL_HEADER, ttl))
}

#[test]
fn a_token_is_issued_for_a_ttl_in_range_and_expires() {
    let (i, clock) = imds(true);
    let t = token(&i, "21600");
    assert_eq!(t.status, 200);
    assert_eq!(t.body.len(), 56);
    assert_eq!(t.headers, vec![(TTL_HEADER, "21600".to_string())]);
    let get = |tok: &str| i.answer(&Ask::new("GET", "/latest/meta-data/instance-id").header(TOKEN_HEADER, tok));
    let a = get(&t.body);
    assert_eq!((a.status, a.body.as_str()), (200, "i-0123456789abcdef0"));
    let short = token(&i, "1");
    clock.fetch_add(1_000, Ordering::SeqCst);
    assert_eq!(get(&short.body).status, 401, "an expired token");
    assert_eq!(get("made-up").status, 401, "a token IMDS never issued");
    assert_eq!(get(&t.body).status, 200);
    for bad in ["0", "21601", "-1", "six"] {
        assert_eq!(token(&i, bad).status, 400, "ttl {bad}");
    }
    assert_eq!(i.answer(&Ask::new("PUT", "/latest/api/token")).status, 400, "no ttl");
    let proxied = Ask::new("PUT", "/latest/api/token").header(TTL_HEADER, "60").header("X-Forwarded-For", "10.0.0.1");
    assert_eq!(i.answer(&proxied).status, 403);
}

#[test]
fn version_1_is_answered_only_when_tokens_are_optional() {
    let (required, _) = imds(true);
    let a = required.answer(&Ask::new("GET", "/latest/meta-data/instance-id"));
    assert_eq!(a.status, 401);
    assert!(a.body.contains("<title>401 - Unauthorized</title>"));
    let (optional, _) = imds(false);
    assert_eq!(optional.answer(&Ask::new("GET", "/latest/meta-data/instance-id")).status, 200);
}

#[test]
fn folders_list_their_children_and_unknown_paths_are_404() {
    let (i, _) = imds(false);
    let get = |p: &str| i.answer(&Ask::new("GET", p));
    assert_eq!(get("/latest/meta-data/").body, "iam/\ninstance-id\nlocal-ipv4\nplacement/");
    assert_eq!(get("/latest/meta-data/iam/security-credentials/").body, "ecs-instance");
    assert!(get("/latest/meta-data/iam/security-credentials/ecs-instance").body.contains("\"Code\" : \"Success\""));
    assert_eq!(get("/latest/").body, "dynamic\nmeta-data");
    assert_eq!(get("/latest/dynamic/instance-identity/document").body, "{}");
    assert_eq!(get("/latest/meta-data/nothing").status, 404);
    assert_eq!(get("/latest/meta-data/instance-id/").status, 404);
    assert_eq!(get("/other").status, 404);
    assert_eq!(i.answer(&Ask::new("POST", "/latest/meta-data/")).status, 405);
    assert_eq!(i.answer(&Ask::new("PUT", "/latest/meta-data/")).status, 405);
}

#[test]
fn tokens_are_bounded() {
    let (i, _) = imds(true);
    let first = token(&i, "60").body;
    for _ in 0..MAX_TOKENS {
        token(&i, "120");
    }
    let get = |tok: &str| i.answer(&Ask::new("GET", "/latest/meta-data/instance-id").header(TOKEN_HEADER, tok));
    assert_eq!(get(&first).status, 401, "the oldest token made room");
    assert!(i.tokens.lock().map(|t| t.len()).unwrap_or(0) <= MAX_TOKENS);
}
