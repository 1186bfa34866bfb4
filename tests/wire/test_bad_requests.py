"""Requests no SDK would send, signed correctly: each must get a 4xx in
the protocol's error form (never a 5xx, which SDKs retry, never a hang),
and the server must answer normally afterwards."""

import botocore.session
import pytest

from rawhttp import PROTOCOLS, error_of, send, send_signed, signed

ECS_PREFIX = "AmazonEC2ContainerServiceV20141113"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
JSON = {"Content-Type": "application/x-amz-json-1.1"}
SHAPE = {"query": "ErrorResponse", "ec2": "Response", "json": "json"}


def ecs(op):
    return dict(JSON, **{"X-Amz-Target": f"{ECS_PREFIX}.{op}"})


def refused(server, protocol, resp, status=400):
    """Checks the refusal's form, then that the server still works."""
    assert resp.status_code == status, f"HTTP {resp.status_code}: {resp.text[:400]}"
    code, message, shape = error_of(resp, protocol)
    assert shape == SHAPE[protocol], resp.text[:400]
    assert code, resp.text[:400]
    assert server.health() == 200
    assert server.client("sts").get_caller_identity()["Account"]
    return code, message


def call(server, service, body, headers):
    req, _ = signed(server.url, service, body, headers)
    return send_signed(req)


def test_an_unknown_query_action(server):
    r = call(server, "sts", b"Action=NoSuchAction&Version=2011-06-15", FORM)
    code, message = refused(server, "query", r)
    assert code == "InvalidAction"
    assert message == "The action NoSuchAction is not valid for this web service."


def test_an_unknown_ec2_action(server):
    r = call(server, "ec2", b"Action=DescribeNothing&Version=2016-11-15", FORM)
    code, message = refused(server, "ec2", r)
    assert code == "InvalidAction"
    assert message == "The action DescribeNothing is not valid for this web service."


def test_a_query_request_without_an_action(server):
    r = call(server, "sts", b"Version=2011-06-15", FORM)
    assert refused(server, "query", r)[0] == "MissingAction"


def test_an_unknown_target_operation(server):
    r = call(server, "ecs", b"{}", ecs("NoSuchOperation"))
    assert refused(server, "json", r)[0] == "UnknownOperationException"


# Known defect (reported): a target whose prefix names no service is
# answered in the query form (<ErrorResponse>, text/xml) although the request
# is awsJson (it has X-Amz-Target), so a JSON client cannot read the code.
def test_an_unknown_target_prefix(server):
    r = call(server, "ecs", b"{}", dict(JSON, **{"X-Amz-Target": "NoSuchService_20990101.ListClusters"}))
    assert refused(server, "json", r)[0] == "UnknownOperationException"


def test_a_json_request_missing_a_required_member(server):
    r = call(server, "ecs", b"{}", ecs("DescribeServices"))
    code, message = refused(server, "json", r)
    # The code: ECS declares InvalidParameterException, not a ValidationException.
    assert code == "InvalidParameterException"
    assert message == "1 validation error detected: Value null at 'services' failed to satisfy constraint: " \
                      "Member must not be null"


def _ec2_operation_with_required_input(server):
    model = botocore.session.get_session().get_service_model("ec2")
    for op in server.operations()["ec2"]:
        shape = model.operation_model(op).input_shape
        if shape is not None and shape.required_members:
            return op, shape
    return None, None


def test_an_ec2_request_missing_a_required_parameter(server):
    op, shape = _ec2_operation_with_required_input(server)
    if op is None:
        pytest.skip("no EC2 operation with a required parameter is implemented yet")
    r = call(server, "ec2", f"Action={op}&Version=2016-11-15".encode(), FORM)
    code, message = refused(server, "ec2", r)
    assert code == "MissingParameter"
    # Which missing parameter is named first is the server's choice; it must be one of them.
    names = set()
    for m in shape.required_members:
        ser = shape.members[m].serialization
        wire = ser.get("queryName") or ser.get("name", m)
        names |= {m, wire[0].upper() + wire[1:]}
    assert message.startswith("The request must contain the parameter "), message
    assert message.rsplit(" ", 1)[-1] in names, (message, names)


@pytest.mark.parametrize("body", [b'{"cluster": 5}', b'{"maxResults": "ten"}', b'{"cluster": ["a"]}'])
def test_a_json_member_of_the_wrong_type(server, body):
    r = call(server, "ecs", body, ecs("ListTasks"))
    assert refused(server, "json", r)[0] == "SerializationException"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
def test_a_json_body_that_is_not_an_object(server, body):
    r = call(server, "ecs", body, ecs("ListClusters"))
    assert refused(server, "json", r)[0] == "SerializationException"


def test_an_oversized_body_is_413(server):
    # Over the server's limit (4 MiB: a full PutLogEvents batch in JSON fits under it).
    big = b"Action=GetCallerIdentity&Version=2011-06-15&Pad=" + b"x" * (4 << 20)
    r = call(server, "sts", big, FORM)
    assert r.status_code == 413
    assert server.health() == 200 and server.client("sts").get_caller_identity()


@pytest.mark.parametrize("protocol,body", [
    ("query", b"Action=GetCallerIdentity&Version=2011-06-15&X=\xff\xfe"),
    ("query", b"Action=GetCallerIdentity&Version=2011-06-15&X=%FF%FE"),
    ("ec2", b"Action=DescribeSubnets&Version=2016-11-15&SubnetId.1=\xc3\x28"),
    ("json", b'{"cluster": "\xff\xfe"}'),
])
def test_a_body_that_is_not_utf8(server, protocol, body):
    service, _, headers = PROTOCOLS[protocol]
    if protocol == "json":
        headers = ecs("ListTasks")
    r = call(server, service, body, headers)
    code, _ = refused(server, protocol, r)
    assert code in ("MalformedQueryString", "SerializationException"), code


@pytest.mark.parametrize("protocol,content_type", [
    ("json", "text/plain"),
    ("json", "application/x-www-form-urlencoded"),
    ("query", "application/json"),
])
def test_a_wrong_content_type(server, protocol, content_type):
    service, body, headers = PROTOCOLS[protocol]
    r = call(server, service, body, dict(headers, **{"Content-Type": content_type}))
    # Never a 5xx, never a hang: a 4xx in the protocol's form, or the answer.
    assert r.status_code < 500, r.text[:400]
    if r.status_code >= 400:
        refused(server, protocol, r, r.status_code)
    assert server.health() == 200


def test_garbage_on_the_socket_does_not_stop_the_server(server):
    import socket
    host, port = server.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 + b"\r\n\r\n")
        s.settimeout(5)
        try:
            s.recv(4096)
        except (socket.timeout, ConnectionResetError):
            pass
    assert server.health() == 200
    assert server.client("ecs").list_clusters() is not None
