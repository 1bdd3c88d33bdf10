#!/usr/bin/env python3
"""Checks strategy files against strategies/strategy.schema.json with a JSON Schema validator
(what an editor does as you type). Usage: scripts/check-schema.py SCHEMA FILE...

Prints `file: ok` or one `file: path: message` line per problem; exits 1 if any file has one.
YAML is read with the YAML 1.2 core types an editor uses: dates stay text.
"""
import json
import sys

import jsonschema
import yaml


class CoreLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 timestamps (2026-10-01 is a string, as in YAML 1.2)."""


CoreLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def main(argv):
    schema = json.load(open(argv[1], encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    failed = False
    for name in argv[2:]:
        with open(name, encoding="utf-8") as f:
            document = yaml.load(f, Loader=CoreLoader)
        errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
        if not errors:
            print(f"{name}: ok")
        for e in errors:
            failed = True
            path = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print(f"{name}: {path}: {e.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
