#!/usr/bin/env python3
"""Writes crates/wire/models/<service>.json: botocore's service model of each
AWS API the wire endpoint speaks, cut down to the operations it implements
and the shapes they reach, without documentation.

Why botocore's models: they are what the SDKs and the aws CLI are generated
from, so a request decoded and a response encoded by them is what the
clients send and parse (member names, `locationName`s, `member`/`item` list
wrappers, flattened lists, timestamps, required members, enums). The
operations are read off the sources: every `read("Op", …)` and
`write("Op", …)` / `outside("Op", …)` in crates/wire/src/services/<module>*.rs.

Usage: scripts/gen/wire-models.py [generate|check] [path/to/botocore/data]
(default: generate, with the installed botocore package). CI has botocore in
the test venv; `check` fails when a committed model is not what generate
would write.
"""
import glob
import gzip
import json
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../..")
SERVICES_SRC = os.path.join(ROOT, "crates/wire/src/services")
OUT = os.path.join(ROOT, "crates/wire/models")

# (source module, botocore service, API version)
SERVICES = [
    ("cloudformation", "cloudformation", "2010-05-15"),
    ("ec2", "ec2", "2016-11-15"),
    ("ecs", "ecs", "2014-11-13"),
    ("elbv2", "elbv2", "2015-12-01"),
    ("autoscaling", "autoscaling", "2011-01-01"),
    ("rds", "rds", "2014-10-31"),
    ("ssm", "ssm", "2014-11-06"),
    ("sts", "sts", "2011-06-15"),
    ("iam", "iam", "2010-05-08"),
    ("lambda", "lambda", "2015-03-31"),
    ("logs", "logs", "2014-03-28"),
    ("secretsmanager", "secretsmanager", "2017-10-17"),
    ("kms", "kms", "2014-11-01"),
    ("acm", "acm", "2015-12-08"),
]

DROP = {"documentation", "documentationUrl", "examples", "deprecatedMessage", "authtype", "auth",
        "endpointdiscovery", "endpoint", "httpChecksum", "staticContextParams", "contextParam",
        "requestcompression", "unwrappedResultWrapper"}

OP_RE = re.compile(r'\b(?:read|write|outside)\(\s*"(\w+)"')


def data_dir(argv):
    if argv:
        return argv[0]
    import botocore
    return os.path.join(os.path.dirname(botocore.__file__), "data")


def load(path):
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    with gzip.open(path + ".gz", "rt") as f:
        return json.load(f)


def operations(module):
    names = []
    files = [os.path.join(SERVICES_SRC, module + ".rs")] + sorted(
        glob.glob(os.path.join(SERVICES_SRC, module, "**", "*.rs"), recursive=True))
    for path in files:
        if os.path.exists(path):
            with open(path) as f:
                names += OP_RE.findall(f.read())
    return sorted(set(names))


def strip(value):
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in DROP}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def reach(shapes, name, seen):
    if name in seen:
        return
    seen.add(name)
    s = shapes[name]
    for m in s.get("members", {}).values():
        reach(shapes, m["shape"], seen)
    for key in ("member", "key", "value"):
        if key in s:
            reach(shapes, s[key]["shape"], seen)


def build(data, service, version, ops):
    model = load(os.path.join(data, service, version, "service-2.json"))
    out_ops, seen = {}, set()
    for op in ops:
        if op not in model["operations"]:
            sys.exit(f"wire-models: {service} has no operation {op}")
        o = strip(model["operations"][op])
        out_ops[op] = o
        for key in ("input", "output"):
            if key in o:
                reach(model["shapes"], o[key]["shape"], seen)
        for e in o.get("errors", []):
            reach(model["shapes"], e["shape"], seen)
    meta = {k: v for k, v in model["metadata"].items() if k in (
        "apiVersion", "protocol", "jsonVersion", "targetPrefix", "signingName", "endpointPrefix",
        "serviceId", "xmlNamespace")}
    shapes = {n: strip(model["shapes"][n]) for n in sorted(seen)}
    return json.dumps({"metadata": meta, "operations": out_ops, "shapes": shapes},
                      sort_keys=True, separators=(",", ":")) + "\n"


def main():
    args = sys.argv[1:]
    mode = "generate"
    if args and args[0] in ("generate", "check"):
        mode = args.pop(0)
    data = data_dir(args)
    stale = []
    os.makedirs(OUT, exist_ok=True)
    for module, service, version in SERVICES:
        text = build(data, service, version, operations(module))
        path = os.path.join(OUT, module + ".json")
        if mode == "check":
            old = open(path).read() if os.path.exists(path) else ""
            if old != text:
                stale.append(path)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        sys.exit("wire-models: not what `scripts/gen/wire-models.py` writes (run it): " + ", ".join(stale))


if __name__ == "__main__":
    main()
