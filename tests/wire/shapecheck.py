"""Checks an answer against botocore's model of the operation's output.

Two views, because botocore's parser is lenient (it drops what it does not
know and leaves out what is missing, so a parsed response alone would hide
a misspelt member):

- `parsed(shape, value)`: the dict botocore returned: required members
  present, each value of the shape's type, enums within their values,
  lists and maps of their member shapes;
- `raw_xml(...)` / `raw_json(...)`: the bytes on the wire: every element or
  key is a member the model names (by its serialized name), lists use the
  model's item element, scalars read as their type.
"""

import datetime
import json
import xml.etree.ElementTree as ET


def _fail(path, msg):
    return [f"{path or '<root>'}: {msg}"]


# Where AWS documents a value its own model's enum leaves out: (structure,
# member) → the extra values. Only documented departures belong here.
# - InternetGatewayAttachment.State: "For an internet gateway, the state is
#   available when attached to a VPC" (AWS doc "InternetGatewayAttachment";
#   the enum AttachmentStatus lacks it; boto/boto3#3724).
# - VpcEndpoint.State: EC2 answers in lower camel case ("available",
#   "pendingAcceptance"), where the model's enum is capitalized (seen in the
#   aws CLI's output, e.g. mbailey/bash-my-aws#217; the AWS doc "VpcEndpoint"
#   lists the model's spelling).
DOCUMENTED_EXTRA_VALUES = {
    ("InternetGatewayAttachment", "State"): {"available"},
    ("VpcEndpoint", "State"): {"pendingAcceptance", "pending", "available", "deleting", "deleted", "rejected",
                               "failed", "expired", "partial"},
}

# botocore's IAM customization (handlers.json_decode_policies, after-call.iam)
# URL-decodes and JSON-parses every policyDocumentType string, so the parsed
# value is a dict; a string left over means the wire text was not a
# URL-encoded JSON document.
POLICY_DOCUMENT = "policyDocumentType"


def _enum_check(shape, value, path, extra=()):
    enum = shape.enum or []
    if enum and value not in enum and value not in extra:
        return _fail(path, f"{value!r} is not one of {shape.name}'s values {enum}")
    return []


def parsed(shape, value, path="", extra=()):
    t = shape.type_name
    if t == "string" and shape.name == POLICY_DOCUMENT:
        if not isinstance(value, dict):
            return _fail(path, f"expected a policy document botocore decodes to a dict, got {value!r}")
        return []
    if t == "structure":
        if not isinstance(value, dict):
            return _fail(path, f"expected a structure ({shape.name}), got {type(value).__name__}")
        errs = []
        for req in shape.required_members:
            if req not in value:
                errs += _fail(path, f"required member {req} of {shape.name} is missing")
        for k, v in value.items():
            if k == "ResponseMetadata" and not path:
                continue
            if k not in shape.members:
                errs += _fail(path, f"{k} is not a member of {shape.name}")
                continue
            extra = DOCUMENTED_EXTRA_VALUES.get((shape.name, k), ())
            errs += parsed(shape.members[k], v, f"{path}.{k}" if path else k, extra)
        return errs
    if t == "list":
        if not isinstance(value, list):
            return _fail(path, f"expected a list ({shape.name}), got {type(value).__name__}")
        errs = []
        for i, v in enumerate(value):
            errs += parsed(shape.member, v, f"{path}[{i}]")
        return errs
    if t == "map":
        if not isinstance(value, dict):
            return _fail(path, f"expected a map ({shape.name}), got {type(value).__name__}")
        errs = []
        for k, v in value.items():
            errs += parsed(shape.key, k, f"{path}.<key>")
            errs += parsed(shape.value, v, f"{path}[{k!r}]")
        return errs
    if t == "string":
        if not isinstance(value, str):
            return _fail(path, f"expected a string ({shape.name}), got {value!r}")
        return _enum_check(shape, value, path, extra)
    if t in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else _fail(path, f"expected an {t} ({shape.name}), got {value!r}")
    if t in ("float", "double"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else _fail(path, f"expected a {t} ({shape.name}), got {value!r}")
    if t == "boolean":
        return [] if isinstance(value, bool) else _fail(path, f"expected a boolean, got {value!r}")
    if t == "timestamp":
        ok = isinstance(value, datetime.datetime)
        return [] if ok else _fail(path, f"expected a timestamp ({shape.name}), got {value!r}")
    if t == "blob":
        # A rest-json payload blob is handed over as a stream (botocore's StreamingBody).
        if type(value).__name__ == "StreamingBody":
            return []
        return [] if isinstance(value, (bytes, bytearray)) else _fail(path, f"expected a blob, got {value!r}")
    return _fail(path, f"unhandled shape type {t}")


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _xml_name(member_name, member_shape):
    return member_shape.serialization.get("name", member_name)


def _xml_scalar(shape, text, path, extra=()):
    t = shape.type_name
    text = text or ""
    if t in ("integer", "long"):
        try:
            int(text)
        except ValueError:
            return _fail(path, f"{text!r} is not an {t}")
    elif t in ("float", "double"):
        try:
            float(text)
        except ValueError:
            return _fail(path, f"{text!r} is not a {t}")
    elif t == "boolean":
        if text not in ("true", "false"):
            return _fail(path, f"{text!r} is not a boolean")
    elif t == "timestamp":
        try:
            datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return _fail(path, f"{text!r} is not an ISO 8601 timestamp")
    elif t == "string":
        enum = shape.enum or []
        if enum and text not in enum and text not in extra:
            return _fail(path, f"{text!r} is not one of {enum}")
    return []


def _xml_walk(shape, elem, path, extra=()):
    t = shape.type_name
    if t == "structure":
        by_name = {}
        flat_lists = {}
        for name, m in shape.members.items():
            if m.type_name == "list" and m.serialization.get("flattened"):
                flat_lists[m.member.serialization.get("name", _xml_name(name, m))] = (name, m)
            by_name[_xml_name(name, m)] = (name, m)
        errs = []
        for child in elem:
            tag = _local(child.tag)
            p = f"{path}/{tag}"
            if tag in flat_lists:
                errs += _xml_walk(flat_lists[tag][1].member, child, p)
            elif tag in by_name:
                name, member = by_name[tag]
                errs += _xml_walk(member, child, p, DOCUMENTED_EXTRA_VALUES.get((shape.name, name), ()))
            else:
                errs += _fail(p, f"<{tag}> is not a member of {shape.name} (members: {sorted(by_name)})")
        return errs
    if t == "list":
        item = shape.member.serialization.get("name", "member")
        errs = []
        for child in elem:
            tag = _local(child.tag)
            if tag != item:
                errs += _fail(f"{path}/{tag}", f"list {shape.name} items must be <{item}>")
            else:
                errs += _xml_walk(shape.member, child, f"{path}/{tag}")
        return errs
    if t == "map":
        return []
    if len(elem):
        return _fail(path, f"scalar {shape.name} has child elements")
    return _xml_scalar(shape, elem.text, path, extra)


def raw_xml(operation_model, body, protocol):
    """The wire's XML: `<OpResponse>` with the result (query: inside the
    resultWrapper element, beside ResponseMetadata; ec2: beside requestId)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        return _fail("", f"not XML: {e}")
    name = operation_model.name
    errs = []
    if _local(root.tag) != f"{name}Response":
        errs += _fail("", f"root element <{_local(root.tag)}>, expected <{name}Response>")
    out = operation_model.output_shape
    if protocol == "query":
        wrapper = operation_model.metadata and operation_model._operation_model.get("output", {}).get("resultWrapper")
        for child in root:
            tag = _local(child.tag)
            if tag == "ResponseMetadata":
                if child.find("{*}RequestId") is None and child.find("RequestId") is None:
                    errs += _fail("/ResponseMetadata", "no RequestId")
            elif wrapper and tag == wrapper:
                if out is not None:
                    errs += _xml_walk(out, child, f"/{tag}")
            else:
                errs += _fail(f"/{tag}", f"unexpected element (result wrapper is {wrapper})")
    else:  # ec2: members directly under the root, and requestId
        if out is not None:
            kept = [c for c in root if _local(c.tag) != "requestId"]
            fake = ET.Element("r")
            fake.extend(kept)
            errs += _xml_walk(out, fake, "")
        if not any(_local(c.tag) == "requestId" for c in root):
            errs += _fail("", "no <requestId>")
    return errs


def _json_walk(shape, value, path):
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            return _fail(path, f"expected an object for {shape.name}")
        names = {m.serialization.get("name", n): (n, m) for n, m in shape.members.items()}
        errs = []
        for k, v in value.items():
            if k not in names:
                errs += _fail(f"{path}.{k}", f"{k} is not a member of {shape.name}")
            elif v is not None:
                errs += _json_walk(names[k][1], v, f"{path}.{k}")
        return errs
    if t == "list":
        if not isinstance(value, list):
            return _fail(path, f"expected an array for {shape.name}")
        errs = []
        for i, v in enumerate(value):
            errs += _json_walk(shape.member, v, f"{path}[{i}]")
        return errs
    if t == "map":
        if not isinstance(value, dict):
            return _fail(path, f"expected an object (map) for {shape.name}")
        errs = []
        for k, v in value.items():
            errs += _json_walk(shape.value, v, f"{path}[{k!r}]")
        return errs
    if t == "timestamp":
        # awsJson timestamps are epoch seconds (numbers) unless the shape says otherwise.
        fmt = shape.serialization.get("timestampFormat")
        if fmt in (None, "unixTimestamp"):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            return [] if ok else _fail(path, f"timestamp {value!r} is not epoch seconds")
        return [] if isinstance(value, str) else _fail(path, f"timestamp {value!r} is not text")
    if t == "string":
        return [] if isinstance(value, str) else _fail(path, f"expected a string, got {value!r}")
    if t in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else _fail(path, f"expected an {t}, got {value!r}")
    if t in ("float", "double"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else _fail(path, f"expected a number, got {value!r}")
    if t == "boolean":
        return [] if isinstance(value, bool) else _fail(path, f"expected a boolean, got {value!r}")
    return []


def raw_json(operation_model, body):
    try:
        value = json.loads(body or b"{}")
    except ValueError as e:
        return _fail("", f"not JSON: {e}")
    out = operation_model.output_shape
    if out is None:
        return [] if value in ({}, None) else _fail("", f"the operation has no output, got {value!r}")
    return _json_walk(out, value, "")


def raw_rest_json(operation_model, body):
    """rest-json: the body is the output's `payload` member (a blob is raw
    bytes, not checked), else a JSON object of the members bound to no
    header or status code; those bound elsewhere must not appear in it."""
    out = operation_model.output_shape
    if out is None:
        return [] if not body else _fail("", f"the operation has no output, got {body[:80]!r}")
    payload = out.serialization.get("payload")
    if payload:
        member = out.members[payload]
        if member.type_name in ("blob", "string"):
            return []
        try:
            value = json.loads(body or b"{}")
        except ValueError as e:
            return _fail("", f"not JSON: {e}")
        return _json_walk(member, value, "")
    if not body:
        return []
    try:
        value = json.loads(body)
    except ValueError as e:
        return _fail("", f"not JSON: {e}")
    errs = []
    for name, m in out.members.items():
        if m.serialization.get("location") and name in (value or {}):
            errs += _fail(f".{name}", f"{name} belongs in the {m.serialization['location']}, not the body")
    return errs + _json_walk(out, value, "")
