#!/usr/bin/env python3
"""Writes crates/shapes/tests/fixtures/botocore-outputs.json: for every AWS
operation the `shapes` crate implements, the tree of its output shape as
botocore's service model declares it (member names in model order, nested
structures and lists, each member's type), for `tests/conformance.rs`.

botocore's models are the specification the SDKs and the aws CLI are
generated from; the CLI prints a response's members in model order (its
parsers walk the shape's members, whatever order the wire had), so the order
here is the order `aws … describe-*` prints. CI has no botocore, so the
output is committed; run this again after adding an operation to the crate.

Usage: scripts/gen/shapes.py [path/to/botocore/data]
(default: the installed botocore package; `pip install botocore`).
"""
import glob
import gzip
import json
import os
import sys

# (botocore service, API version or None for the newest, operations), the
# functions of crates/shapes/src/{ec2,ecs,elbv2,cloudformation}.rs (ListImports' answer is
# a list of names, with nothing to check).
OPERATIONS = [
    ("ec2", "2016-11-15", [
        "DescribeNetworkInterfaces",
        "DescribeSubnets",
        "DescribeNatGateways",
        "DescribeRouteTables",
        "DescribeSecurityGroups",
        "DescribeInstances",
        "DescribeVpcs",
        "DescribeInternetGateways",
        "DescribeNetworkAcls",
        "DescribeAddresses",
        "DescribeSecurityGroupRules",
        "DescribeAvailabilityZones",
        "DescribeAccountAttributes",
        "DescribeTags",
        "DescribeVpcEndpoints",
        "DescribePrefixLists",
        "DescribeVpcEndpointServices",
    ]),
    ("ecs", None, [
        "DescribeServices",
        "DescribeTasks",
        "DescribeContainerInstances",
        "RunTask",
        "StopTask",
        "UpdateService",
        "DescribeClusters",
        "DescribeTaskDefinition",
    ]),
    ("elbv2", None, [
        "DescribeTargetHealth",
        "DescribeLoadBalancers",
        "DescribeTargetGroups",
        "DescribeListeners",
        "DescribeRules",
    ]),
    ("cloudformation", None, [
        "DescribeStacks",
        "DescribeStackEvents",
        "DescribeStackResources",
        "DescribeStackResource",
        "ListStackResources",
        "ListStacks",
        "ListExports",
        "DescribeChangeSet",
        "ListChangeSets",
        "GetTemplate",
        "GetTemplateSummary",
        "ValidateTemplate",
    ]),
]

OUT = os.path.join(os.path.dirname(__file__), "../../crates/shapes/tests/fixtures/botocore-outputs.json")


def data_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    import botocore  # noqa: PLC0415 (only needed without an explicit path)
    return os.path.join(os.path.dirname(botocore.__file__), "data")


def model(data, service, version):
    pattern = os.path.join(data, service, version or "*", "service-2.json*")
    path = sorted(glob.glob(pattern))[-1]
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f), os.path.basename(os.path.dirname(path))


def tree(shapes, name, seen=()):
    """The shape `name` as a tree: {"type", "shape", and "members" (a list of
    [name, tree] in model order) or "member" (a list's element)}. A shape that
    contains itself stops at the repetition ({"type", "shape", "recursive"})."""
    shape = shapes[name]
    kind = shape["type"]
    node = {"type": kind, "shape": name}
    if name in seen:
        node["recursive"] = True
        return node
    seen = seen + (name,)
    if kind == "structure":
        node["members"] = [[m, tree(shapes, ref["shape"], seen)] for m, ref in shape.get("members", {}).items()]
    elif kind == "list":
        node["member"] = tree(shapes, shape["member"]["shape"], seen)
    elif kind == "map":
        node["value"] = tree(shapes, shape["value"]["shape"], seen)
    return node


def main():
    data = data_dir()
    out = {"generator": "scripts/gen/shapes.py", "operations": {}}
    versions = []
    for service, version, operations in OPERATIONS:
        m, found = model(data, service, version)
        versions.append(f"{service} {found}")
        for op in operations:
            output = m["operations"][op]["output"]["shape"]
            out["operations"][op] = {"service": service, "output": tree(m["shapes"], output)}
    import botocore  # noqa: PLC0415
    out["source"] = f"botocore {getattr(botocore, '__version__', '?')} ({', '.join(versions)})"
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {len(out['operations'])} operations to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
