//! One request, from bytes to an answer: choose the service (the
//! `X-Amz-Target` prefix, else the SigV4 credential scope), check the
//! signature, find the operation (the query `Action`, or the target's
//! suffix), decode its input by the model; after the handler ran, encode its
//! output by the model. Pure: the server ([`crate::server`]) supplies the
//! clock, the keys and the account.

use crate::decode::{self, DecodeError};
use crate::error::{render, WireError};
use crate::model::{Protocol, Service};
use crate::sigv4;
use account::Account;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Who signed a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The access key ID.
    pub access_key: String,
    /// The region of its credential scope.
    pub region: String,
}

/// The context of a read-only operation.
pub struct Read<'a> {
    /// The account as of now.
    pub account: &'a Account,
    /// The signer.
    pub caller: &'a Caller,
    /// The server (its address, its Lambda runner, its options).
    pub server: &'a crate::server::State,
}

/// Work that goes on after the answer (CreateStack, ExecuteChangeSet): it
/// runs on its own thread holding the account, as AWS's control plane works
/// on after the call returned.
pub type Job = Box<dyn FnOnce(&mut runtime::Session) + Send>;

/// The context of an operation that changes the account.
pub struct Write<'a> {
    /// The open session (the account, its state folder, its clock).
    pub session: &'a mut runtime::Session,
    /// The signer.
    pub caller: &'a Caller,
    /// Work to run after the answer.
    pub jobs: &'a mut Vec<Job>,
    /// The server (its address, its Lambda runner, its options).
    pub server: &'a crate::server::State,
}

/// The context of an operation that must not hold the account while it
/// runs (Invoke: the function calls back into the endpoint, which needs the
/// account). It takes the account itself, briefly, through the server
/// ([`crate::server::State::mutate`], [`crate::server::State::read`]).
pub struct Outside<'a> {
    /// The server.
    pub server: &'a std::sync::Arc<crate::server::State>,
    /// The signer.
    pub caller: &'a Caller,
    /// The request's ID.
    pub request_id: &'a str,
}

/// What a read handler is.
pub type ReadFn = fn(&Read<'_>, &Value) -> Result<Value, WireError>;
/// What a write handler is.
pub type WriteFn = fn(&mut Write<'_>, &Value) -> Result<Value, WireError>;
/// What a handler that runs outside the account is.
pub type OutsideFn = fn(&Outside<'_>, &Value) -> Result<Value, WireError>;

/// An operation's handler: it takes the decoded input (the input shape's
/// member names) and returns the output shape as JSON.
#[derive(Clone, Copy)]
pub enum Handler {
    /// Reads only: served concurrently.
    Read(ReadFn),
    /// Changes the account: serialised, saved before the answer.
    Write(WriteFn),
    /// Runs without the account, taking it only for its short reads and writes.
    Outside(OutsideFn),
}

/// An API operation tasknet implements.
#[derive(Clone, Copy)]
pub struct Operation {
    /// Its name in the model (`DescribeSubnets`).
    pub name: &'static str,
    /// What runs it.
    pub handler: Handler,
}

/// A read-only operation (the model generator finds these by `read("`).
pub const fn read(name: &'static str, f: ReadFn) -> Operation {
    Operation { name, handler: Handler::Read(f) }
}

/// An operation that changes the account (found by `write("`).
pub const fn write(name: &'static str, f: WriteFn) -> Operation {
    Operation { name, handler: Handler::Write(f) }
}

/// An operation that runs outside the account (found by `outside("`).
pub const fn outside(name: &'static str, f: OutsideFn) -> Operation {
    Operation { name, handler: Handler::Outside(f) }
}

/// An HTTP request as the server received it.
#[derive(Clone, Debug, Default)]
pub struct HttpRequest {
    /// The method.
    pub method: String,
    /// The path, still percent-encoded.
    pub path: String,
    /// The query string (no `?`).
    pub query: String,
    /// The headers in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// Signs the request as botocore does (SigV4, every header it has so
    /// far), for `service` (its signing name) at `now_secs`: for tests and
    /// tasknet's own clients.
    pub fn sign(&mut self, access_key: &str, secret: &str, region: &str, service: &str, now_secs: i64) {
        if service == "s3" && self.header("x-amz-content-sha256").is_none() {
            // botocore's S3 signer always sends the payload's hash.
            self.headers.push(("x-amz-content-sha256".into(), sigv4::sha256_hex(&self.body)));
        }
        let amz_date = sigv4::amz_date(now_secs);
        let cred = sigv4::Credential {
            access_key: access_key.into(),
            date: amz_date[..8].to_string(),
            region: region.into(),
            service: service.into(),
        };
        let req = sigv4::Request {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
        };
        let (date, auth) = sigv4::sign_with(&req, &cred, secret, &amz_date, service == "s3");
        self.headers.push(("X-Amz-Date".into(), date));
        self.headers.push(("Authorization".into(), auth));
    }

    /// A header's first value, by name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status.
    pub status: u16,
    /// The content type.
    pub content_type: &'static str,
    /// The body.
    pub body: String,
    /// `x-amzn-RequestId`.
    pub request_id: String,
    /// More headers (rest-json's header-bound members, `x-amzn-ErrorType`).
    pub headers: Vec<(String, String)>,
    /// A body that is not text (an invocation's payload, a deployment
    /// package): sent instead of `body` when set.
    pub binary: Option<Vec<u8>>,
}

impl HttpResponse {
    /// The body's bytes: `binary` when set, else `body`.
    pub fn bytes(&self) -> &[u8] {
        self.binary.as_deref().unwrap_or(self.body.as_bytes())
    }

    /// A header's value, by name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A request that passed the checks, ready for its handler.
pub struct Routed {
    /// The service.
    pub service: Service,
    /// The operation.
    pub operation: Operation,
    /// The decoded input.
    pub input: Value,
    /// The signer.
    pub caller: Caller,
    /// The request's ID.
    pub request_id: String,
}

/// The server's facts a request is checked against.
pub struct Checks<'a> {
    /// The time, epoch seconds.
    pub now_secs: i64,
    /// The account's region.
    pub region: &'a str,
    /// The secret of an access key, if the account has it.
    pub secret_of: &'a dyn Fn(&str) -> Option<String>,
    /// For a temporary key (STS): its session token and when it expires
    /// (epoch seconds); `None` for a long-term key.
    pub session_of: &'a dyn Fn(&str) -> Option<(String, i64)>,
}

/// A fresh request ID in the form AWS uses (a UUID's 8-4-4-4-12 hex).
pub fn request_id() -> String {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.finish()
    });
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let a = seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let b = seed.rotate_left(17).wrapping_add(n);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// A refused request's answer.
pub struct Refused {
    /// The error.
    pub error: WireError,
    /// The service, when known (decides the error's shape).
    pub service: Option<Service>,
    /// The protocol the answer is in: the service's, else JSON when the
    /// request carried an `X-Amz-Target` (only JSON clients send one), else query.
    pub protocol: Protocol,
    /// The request's ID.
    pub request_id: String,
}

fn refused(error: WireError, service: Option<Service>, request_id: &str) -> Refused {
    let protocol = service.map_or(Protocol::Query, Service::protocol);
    Refused { error, service, protocol, request_id: request_id.to_string() }
}

impl Refused {
    /// The same refusal, answered in `protocol` when no service decides it.
    fn in_protocol(mut self, protocol: Protocol) -> Refused {
        if self.service.is_none() {
            self.protocol = protocol;
        }
        self
    }
}

/// The form parameters of a query/EC2 request: the query string's, then the body's.
fn params(req: &HttpRequest) -> Option<BTreeMap<String, String>> {
    let mut p = decode::form(&req.query)?;
    if !req.body.is_empty() {
        let body = std::str::from_utf8(&req.body).ok()?;
        p.extend(decode::form(body)?);
    }
    Some(p)
}

/// Checks and decodes `req` against `table` (the service's operations).
pub fn route(
    req: &HttpRequest,
    checks: &Checks<'_>,
    table: &dyn Fn(Service) -> &'static [Operation],
) -> Result<Routed, Refused> {
    let id = request_id();
    let sreq = sigv4::Request {
        method: &req.method,
        path: &req.path,
        query: &req.query,
        headers: &req.headers,
        body: &req.body,
    };
    let target = req.header("x-amz-target");
    let service = match target {
        Some(t) => t.split_once('.').and_then(|(prefix, _)| Service::from_target_prefix(prefix)),
        None => sigv4::credential_of(&sreq).and_then(|c| Service::from_signing_name(&c.service)),
    };
    let cred = match sigv4::verify(&sreq, checks.now_secs, checks.region, checks.secret_of) {
        Ok(c) => c,
        Err(r) => {
            let protocol =
                service.map_or(if target.is_some() { Protocol::Json } else { Protocol::Query }, Service::protocol);
            return Err(refused(crate::auth::refusal(&r, protocol), service, &id).in_protocol(protocol));
        }
    };
    if let Some((token, expires)) = (checks.session_of)(&cred.access_key) {
        let sent = req
            .header("x-amz-security-token")
            .map(str::to_string)
            .or_else(|| decode::form(&req.query).and_then(|q| q.get("X-Amz-Security-Token").cloned()));
        let refusal = match sent {
            Some(t) if t == token && checks.now_secs < expires => None,
            Some(t) if t == token => Some(crate::auth::Token::Expired),
            _ => Some(crate::auth::Token::Invalid),
        };
        if let Some(t) = refusal {
            let protocol = service.map_or(Protocol::Query, Service::protocol);
            return Err(refused(crate::auth::token_refusal(t, protocol), service, &id));
        }
    }
    let Some(service) = service else {
        // Signed for a service tasknet does not speak (or an unknown target):
        // answered as the JSON services answer an unknown target.
        let e = match target {
            Some(_) => WireError::bad("UnknownOperationException", ""),
            None => WireError::bad("InvalidAction", format!("tasknet does not speak the service '{}'", cred.service)),
        };
        let protocol = if target.is_some() { Protocol::Json } else { Protocol::Query };
        return Err(refused(e, None, &id).in_protocol(protocol));
    };
    let caller = Caller { access_key: cred.access_key, region: cred.region };
    let model = service.model();
    let (name, input) = match service.protocol() {
        Protocol::Json => {
            let name = target.and_then(|t| t.split_once('.')).map(|(_, op)| op.to_string()).unwrap_or_default();
            (name, Source::Json)
        }
        Protocol::RestJson => {
            let names = table(service).iter().map(|o| o.name);
            let Some((name, labels)) = crate::rest::find(model, names, &req.method, &req.path) else {
                // tasknet's words: AWS answers an unknown path with a bare 404.
                let e = WireError::new(
                    404,
                    "UnknownOperationException",
                    format!("tasknet does not implement {} {} (yet)", req.method, req.path),
                );
                return Err(refused(e, Some(service), &id));
            };
            (name.to_string(), Source::Rest(labels))
        }
        Protocol::Query | Protocol::Ec2 => {
            let Some(p) = params(req) else {
                let e =
                    WireError::bad("MalformedQueryString", "The request's parameters are not valid URL-encoded UTF-8.");
                return Err(refused(e, Some(service), &id));
            };
            let Some(action) = p.get("Action").cloned() else {
                return Err(refused(WireError::bad("MissingAction", "Missing Action"), Some(service), &id));
            };
            (action, Source::Form(p))
        }
    };
    let Some(operation) = table(service).iter().find(|o| o.name == name).copied() else {
        let e = if model.operation(&name).is_some() {
            WireError::not_implemented(service, &name)
        } else {
            WireError::unknown_operation(service, &name)
        };
        return Err(refused(e, Some(service), &id));
    };
    let Some(shape) = model.input(&name) else {
        // An operation without input (STS GetCallerIdentity has one; a few don't).
        return Ok(Routed { service, operation, input: Value::Object(Default::default()), caller, request_id: id });
    };
    let decoded = match input {
        Source::Form(p) => decode::from_form(model, service.protocol(), shape, &p),
        Source::Json => decode::from_json(model, shape, &req.body),
        Source::Rest(labels) => {
            let query = decode::form(&req.query).unwrap_or_default();
            let parts = crate::rest::Parts { labels: &labels, query: &query, headers: &req.headers, body: &req.body };
            crate::rest::decode(model, shape, &parts)
        }
    };
    let input = decoded.map_err(|e| refused(decode_error(service, &e), Some(service), &id))?;
    Ok(Routed { service, operation, input, caller, request_id: id })
}

/// Where an operation's input comes from.
enum Source {
    /// A query/EC2 form.
    Form(BTreeMap<String, String>),
    /// A JSON 1.1 body.
    Json,
    /// A rest-json request, with its path's labels.
    Rest(BTreeMap<String, String>),
}

/// A decoding error in the service's words.
fn decode_error(service: Service, e: &DecodeError) -> WireError {
    match e {
        DecodeError::Missing(_) => WireError::bad("MissingParameter", e.message()),
        DecodeError::Malformed(_) if service.protocol() == Protocol::Json => {
            WireError::bad("SerializationException", e.message())
        }
        // Lambda's code for a body that is not JSON (its model's InvalidRequestContentException).
        DecodeError::Malformed(_) if service.protocol() == Protocol::RestJson => {
            WireError::bad("InvalidRequestContentException", e.message())
        }
        _ => WireError::validation(service, e.message()),
    }
}

/// The answer for a handler's output.
pub fn respond(service: Service, operation: &str, output: &Value, request_id: &str) -> HttpResponse {
    let model = service.model();
    let (body, content_type) = match service.protocol() {
        Protocol::Json => (crate::encode::json(model, operation, output), "application/x-amz-json-1.1"),
        Protocol::Query => (crate::encode::xml(model, Protocol::Query, operation, output, request_id), "text/xml"),
        Protocol::Ec2 => {
            (crate::encode::xml(model, Protocol::Ec2, operation, output, request_id), "text/xml;charset=UTF-8")
        }
        Protocol::RestJson => {
            let e = crate::rest::encode(model, operation, output);
            let (body, binary) = match e.json {
                true => (String::from_utf8_lossy(&e.body).into_owned(), None),
                false => (String::new(), Some(e.body)),
            };
            return HttpResponse {
                status: e.status,
                content_type: "application/json",
                body,
                request_id: request_id.to_string(),
                headers: e.headers,
                binary,
            };
        }
    };
    HttpResponse { status: 200, content_type, body, request_id: request_id.to_string(), ..HttpResponse::default() }
}

/// The answer for a refused request.
pub fn respond_refused(r: &Refused) -> HttpResponse {
    match r.service {
        Some(s) => respond_error(&r.error, Some(s), &r.request_id),
        None => {
            let (body, content_type) = render(&r.error, r.protocol, "", &r.request_id);
            HttpResponse {
                status: r.error.status,
                content_type,
                body,
                request_id: r.request_id.clone(),
                ..HttpResponse::default()
            }
        }
    }
}

/// The answer for an error.
pub fn respond_error(e: &WireError, service: Option<Service>, request_id: &str) -> HttpResponse {
    let (protocol, ns) = match service {
        Some(s) => (s.protocol(), s.model().xml_namespace()),
        None => (Protocol::Query, ""),
    };
    if let (Protocol::RestJson, Some(s)) = (protocol, service) {
        let (code, body) = crate::rest::render_error(s.model(), e);
        return HttpResponse {
            status: e.status,
            content_type: "application/json",
            body,
            request_id: request_id.to_string(),
            headers: vec![("x-amzn-ErrorType".into(), code)],
            binary: None,
        };
    }
    let (body, content_type) = render(e, protocol, ns, request_id);
    HttpResponse { status: e.status, content_type, body, request_id: request_id.to_string(), ..HttpResponse::default() }
}

#[cfg(test)]
mod tests;
