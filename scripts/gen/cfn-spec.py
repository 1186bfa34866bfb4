#!/usr/bin/env python3
"""Writes crates/cfn/src/spec/*.rs (the resource type tables) from the
CloudFormation resource schemas for us-east-1 that cfn-lint ships.

The schemas are AWS's own description of each type (property names, types,
`required`, readOnlyProperties), so the tables the template checks use are
the ones CloudFormation enforces. Two steps, so CI needs neither cfn-lint
nor a network:

  extract   installed cfn-lint -> crates/cfn/spec-data/us-east-1.json: every
            type name, and for the modelled types only the schema parts the
            tables use (properties, required, the definitions they reach,
            readOnlyProperties) and cfn-lint's GetAtt names.
  generate  us-east-1.json + crates/cfn/spec-data/tables.json -> the .rs
            files, formatted with rustfmt (the repo's rustfmt.toml).
  check     generate into a scratch directory and compare, byte for byte:
            fails when a table was edited by hand (scripts/test.sh runs it).

tables.json holds what no schema says: which types are modelled and in which
file, what `Ref` returns, the per-type notes, which types are checked only
one level deep ("inert"), and the hand edits, each with its reason.
crates/cfn/tests/spec_data.rs also fails when the tables and the data
disagree, with no Python needed.

Usage: scripts/gen/cfn-spec.py extract [path/to/cfnlint]   (pip install cfn-lint==1.51.0)
       scripts/gen/cfn-spec.py generate
       scripts/gen/cfn-spec.py check
"""
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
DATA = os.path.join(ROOT, "crates/cfn/spec-data/us-east-1.json")
TABLES = os.path.join(ROOT, "crates/cfn/spec-data/tables.json")
OUT = os.path.join(ROOT, "crates/cfn/src/spec")
REGION = "us-east-1"

# Schema keys the tables are built from; the rest (descriptions, patterns,
# enums, lengths) is dropped so the committed data stays small.
KEEP = {"type", "properties", "items", "$ref", "required", "patternProperties", "oneOf", "anyOf"}


def trim(node):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in ("properties", "patternProperties"):
                out[k] = {name: trim(s) for name, s in v.items()}
            elif k in KEEP:
                out[k] = trim(v)
        return out
    if isinstance(node, list):
        return [trim(v) for v in node]
    return node


def refs(node, found):
    """Adds the definition names `node` refers to (directly) to `found`."""
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and r.startswith("#/definitions/"):
            found.add(r.split("/")[2])
        for v in node.values():
            refs(v, found)
    elif isinstance(node, list):
        for v in node:
            refs(v, found)


def extract():
    if len(sys.argv) > 2:
        sys.path.insert(0, os.path.dirname(sys.argv[2]))
    import cfnlint  # noqa: PLC0415 (only this step needs it)
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER  # noqa: PLC0415
    from cfnlint.version import __version__  # noqa: PLC0415

    base = os.path.join(os.path.dirname(cfnlint.__file__), "data/schemas")
    provider = os.path.join(base, "providers", REGION.replace("-", "_") + ".py")
    scope = {}
    with open(provider) as f:
        exec(f.read(), scope)  # the provider file is `types = {name: schema hash}`
    # `Module` is cfn-lint's entry for CloudFormation modules, not a resource type.
    names = sorted(n for n in scope["types"] if n != "Module")
    dated = datetime.date.fromtimestamp(os.path.getmtime(provider)).isoformat()
    with open(TABLES) as f:
        modelled = sorted(t["type"] for m in json.load(f)["files"] for t in m["types"])
    schemas = {}
    for name in modelled:
        with open(os.path.join(base, "resources", scope["types"][name] + ".json")) as f:
            schema = json.load(f)
        defs = schema.get("definitions", {})
        used, todo = set(), set()
        refs(schema.get("properties", {}), todo)
        while todo:  # the definitions reachable from the properties, transitively
            d = todo.pop()
            if d not in used and d in defs:
                used.add(d)
                refs(defs[d], todo)
        schemas[name] = {
            "properties": {k: trim(v) for k, v in schema.get("properties", {}).items()},
            "required": schema.get("required", []),
            "definitions": {d: trim(defs[d]) for d in sorted(used)},
            "readOnlyProperties": schema.get("readOnlyProperties", []),
            "getatts": sorted(PROVIDER_SCHEMA_MANAGER.get_type_getatts(name, REGION)),
        }
    data = {"source": {"cfn-lint": __version__, "dated": dated}, "types": names, "schemas": schemas}
    with open(DATA, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(names)} names, {len(schemas)} schemas to {os.path.relpath(DATA, ROOT)}")


def screaming(name):
    # An acronym ends before a capitalised word, except at the start (`FSxWindows`).
    s = re.sub(r"(?<=[A-Za-z0-9][A-Z])(?=[A-Z][a-z])", "_", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return re.sub(r"[^A-Za-z0-9]+", "_", s).upper()


SCALARS = {"string": "S", "integer": "I", "number": "N", "boolean": "B"}


class File:
    """The constants of one generated file: structures are named once,
    an identical structure reuses the first name, a different structure
    under a taken name gets `_2`, `_3`."""

    def __init__(self):
        self.consts = []  # (name, body)
        self.by_body = {}
        self.names = set()

    def struct(self, wanted, body):
        if body in self.by_body:
            return self.by_body[body]
        name, n = wanted, 2
        while name in self.names:
            name, n = f"{wanted}_{n}", n + 1
        self.names.add(name)
        self.by_body[body] = name
        self.consts.append((name, body))
        return name


class Type:
    """Renders one resource type's schema into `PropType` expressions."""

    def __init__(self, file, type_name, schema, inert, edits):
        self.file, self.schema, self.inert, self.edits = file, schema, inert, edits
        self.short = type_name.split("::")[-1]
        self.stack = []
        self.ro = set(schema["readOnlyProperties"])

    def ty(self, node, name_hint, depth, path):
        while "$ref" in node:
            d = node["$ref"].split("/")[2]
            node, name_hint = self.schema["definitions"][d], d
        t = node.get("type")
        if isinstance(t, list) and len(t) == 1:
            t = t[0]
        if isinstance(t, list):
            return "T::OneOf(&[" + ", ".join(self.ty({**node, "type": x}, name_hint, depth, path) for x in t) + "])"
        if t in SCALARS:
            return SCALARS[t]
        if t == "array":
            items = node.get("items")
            return "T::List(&" + (self.ty(items, name_hint, depth, path + "/*") if items else "ANY") + ")"
        if t == "object" or "properties" in node:
            if "properties" in node:
                if self.inert and depth >= 1:
                    return "J"  # one level deep for inert types (see the note)
                if name_hint in self.stack:
                    return "J"  # a recursive structure: deeper levels free-form
                if all(f"{path}/{p}" in self.ro for p in node["properties"]):
                    return "J"  # output only (ELB's SourceSecurityGroup): nothing to check
                self.stack.append(name_hint)
                body = self.fields(node, depth + 1, name_hint, path)
                self.stack.pop()
                return self.file.struct(screaming(name_hint), body)
            pp = node.get("patternProperties")
            if pp and len(pp) == 1:
                return "T::Map(&" + self.ty(next(iter(pp.values())), name_hint, depth + 1, path + "/*") + ")"
            return "J"
        return "ANY"

    def fields(self, node, depth, owner, path):
        req = set(node.get("required", []))
        out = []
        for name in sorted(node["properties"]):
            sub = node["properties"][name]
            hint = f"{self.short}{name}Struct" if "properties" in sub and "$ref" not in sub else name
            ty = self.ty(sub, hint, depth, f"{path}/{name}")
            out.append(f'{"req" if name in req else "opt"}("{name}", {ty})')
        # Added fields go first, each with its reason as a trailing comment.
        added = "".join(f'opt("{e["name"]}", {e["ty"]}), // {e["comment"]}\n' for e in self.edits.get(owner, []))
        return "T::Struct(&[" + added + ", ".join(out) + "])"

    def properties(self):
        # Read-only top-level properties are outputs, not inputs: left out.
        props = {k: v for k, v in self.schema["properties"].items() if f"/properties/{k}" not in self.ro}
        body = self.fields({"properties": props, "required": self.schema["required"]}, 0, "", "/properties")
        return body[len("T::Struct(") : -1]


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def header(data):
    src = data["source"]
    month = datetime.date.fromisoformat(src["dated"]).strftime("%B %Y")
    return (
        "//!\n"
        "//! Property names, types and `required` from the CloudFormation resource\n"
        f"//! schemas for us-east-1 (as shipped in cfn-lint {src['cfn-lint']}, {month}); GetAtt\n"
        "//! names from the schemas' readOnlyProperties. Generated, then checked by hand.\n"
    )


def generate_file(module, data, edits):
    f = File()
    specs = []
    for t in module["types"]:
        schema = data["schemas"][t["type"]]
        ty = Type(f, t["type"], schema, t.get("inert", False), edits.get(t["type"], {}))
        props = ty.properties()
        attrs = ", ".join(rust_str(a) for a in schema["getatts"])
        const = t.get("const") or screaming(ty.short) + "_SPEC"
        notes = [f'AWS doc: "{t["type"]}"'] + t.get("notes", [])
        if t.get("inert"):
            notes.append("Inert here: structures are checked one level deep, deeper objects as free-form JSON.")
        specs.append(
            "".join(f"// {n}\n" for n in notes)
            + f"pub(super) static {const}: ResourceSpec = ResourceSpec {{\n"
            f"    type_name: {rust_str(t['type'])},\n"
            f"    properties: {props},\n"
            f"    attributes: &[{attrs}],\n"
            f"    ref_returns: {rust_str(t['ref_returns'])},\n"
            "};\n"
        )
    parts = [
        f"//! {module['doc']}\n" + header(data),
        "#[allow(unused_imports)]\nuse super::types::{opt, req, ANY, B, I, J, N, S};\n"
        "use super::{PropType as T, ResourceSpec};\n",
    ]
    parts += [f"const {name}: T = {body};\n" for name, body in f.consts]
    parts += specs
    return "\n".join(parts)


def generate_known(data):
    src = data["source"]
    names = "".join(f"    {rust_str(n)},\n" for n in data["types"])
    return (
        "//! Every resource type name CloudFormation knows in us-east-1.\n"
        "//!\n"
        "//! Source: the per-type resource schemas (`typeName` of each) that AWS publishes\n"
        f"//! for us-east-1, as shipped in the cfn-lint {src['cfn-lint']} package (files dated\n"
        f"//! {src['dated']}); {len(data['types'])} names, checked sorted and unique by tests.\n"
        "//! Not included here, handled in code: `Custom::*` (any suffix) and the SAM\n"
        "//! `AWS::Serverless::*` types, which exist only under the SAM transform.\n"
        "\n"
        "/// Resource type names, sorted (byte order), no duplicates.\n"
        f"pub static KNOWN_TYPES: &[&str] = &[\n{names}];\n"
    )


def generate_registry(tables):
    rows = []
    for m in tables["files"]:
        for t in m["types"]:
            const = t.get("const") or screaming(t["type"].split("::")[-1]) + "_SPEC"
            rows.append((t["type"], f"    &{m['module']}::{const},\n"))
    return (
        "//! Every type with a property table, sorted by type name for binary search.\n"
        "\n"
        "use super::*;\n"
        "\n"
        "/// The modelled resource types, sorted by `type_name`.\n"
        "pub(super) static SPECS: &[&ResourceSpec] = &[\n" + "".join(r for _, r in sorted(rows)) + "];\n"
    )


def render(out_dir):
    """Writes every generated file into `out_dir`, formatted; returns their names."""
    with open(DATA) as f:
        data = json.load(f)
    with open(TABLES) as f:
        tables = json.load(f)
    # type -> structure ("" for the top level) -> fields added to the schema's.
    # Only additions exist so far; the test knows them too (tests/spec_data.rs).
    edits = {}
    for e in tables.get("edits", []):
        if not e.get("add") or not e.get("reason"):
            sys.exit(f"edit {e}: only additions with a reason are supported")
        slot = edits.setdefault(e["type"], {}).setdefault(e.get("in", ""), [])
        slot.append({"name": e["property"], "ty": e["ty"], "comment": e["reason"]})
    out = {"known_types.rs": generate_known(data), "registry.rs": generate_registry(tables)}
    for m in tables["files"]:
        out[m["module"] + ".rs"] = generate_file(m, data, edits)
    paths = []
    for name, text in out.items():
        path = os.path.join(out_dir, name)
        with open(path, "w") as f:
            f.write(text)
        paths.append(path)
    cfg = os.path.join(ROOT, "rustfmt.toml")
    subprocess.run(["rustfmt", "--edition", "2021", "--config-path", cfg, *paths], check=True)
    return sorted(out)


def generate():
    names = render(OUT)
    print(f"wrote {len(names)} files to {os.path.relpath(OUT, ROOT)}")


def check():
    """Exits 1 when the committed files differ from what `generate` would write."""
    with tempfile.TemporaryDirectory() as tmp:
        stale = []
        for name in render(tmp):
            with open(os.path.join(tmp, name)) as a, open(os.path.join(OUT, name)) as b:
                if a.read() != b.read():
                    stale.append(name)
    if stale:
        sys.exit(f"cfn-spec.py: out of date in crates/cfn/src/spec: {', '.join(stale)}; run scripts/gen/cfn-spec.py generate")
    print("cfn-spec.py: the spec tables are what the generator writes")


if __name__ == "__main__":
    {"extract": extract, "generate": generate, "check": check}.get(sys.argv[1] if len(sys.argv) > 1 else "", lambda: sys.exit(__doc__))()
