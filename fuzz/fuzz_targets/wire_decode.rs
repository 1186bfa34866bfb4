//! Arbitrary requests through the wire endpoint's decoders: the form and
//! JSON decoders against every operation's input shape of every service,
//! the SigV4 parser and checker, and the whole routing of a request (which
//! ends in the signature check for most inputs, and in the decoders for the
//! ones the fuzzer learns to sign): none of them may panic, and every
//! refusal must be a 4xx.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wire::dispatch::{self, Checks, HttpRequest};
use wire::model::Service;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let service = Service::ALL[usize::from(pick) % Service::ALL.len()];
    let model = service.model();
    let names: Vec<&str> = model.operation_names().collect();
    if names.is_empty() {
        return;
    }
    let (op_pick, body) = rest.split_first().map_or((0, rest), |(b, r)| (usize::from(*b), r));
    let op = names[op_pick % names.len()];
    if let Some(shape) = model.input(op) {
        let _ = wire::decode::from_json(model, shape, body);
        if service.protocol() == wire::Protocol::RestJson {
            let none = std::collections::BTreeMap::new();
            let parts = wire::rest::Parts { labels: &none, query: &none, headers: &[], body };
            let _ = wire::rest::decode(model, shape, &parts);
        }
        if let Ok(text) = std::str::from_utf8(body) {
            if let Some(params) = wire::decode::form(text) {
                let _ = wire::decode::from_form(model, service.protocol(), shape, &params);
            }
        }
    }
    // The whole request: the body's first line as headers, the rest as the body.
    let text = String::from_utf8_lossy(body);
    let (head, payload) = text.split_once("\n\n").unwrap_or((&text, ""));
    let headers: Vec<(String, String)> = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let req = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        query: String::new(),
        headers,
        body: payload.as_bytes().to_vec(),
    };
    let secret_of = |k: &str| (k == "test").then(|| "test".to_string());
    let session_of = |_: &str| -> Option<(String, i64)> { None };
    let checks = Checks { now_secs: 1_765_000_000, region: "us-east-1", secret_of: &secret_of, session_of: &session_of };
    if let Err(refused) = dispatch::route(&req, &checks, &wire::services::operations) {
        assert!((400..500).contains(&refused.error.status), "a refusal is a 4xx: {:?}", refused.error);
    }
});
