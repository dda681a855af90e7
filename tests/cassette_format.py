"""A cassette serializer that people can review: YAML, with JSON bodies decoded into
structures and multi-line strings as blocks. Registered under vcrpy's "yaml" name by
tests/conftest.py, so cassettes keep the usual `.yaml` suffix.

Bodies stored as `{"json": ...}` are turned back into JSON text on load; vcrpy's body
matcher compares JSON bodies parsed, so whitespace does not matter.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def _decode(body: Any) -> Any:
    raw = body.decode("utf-8") if isinstance(body, bytes) else body
    if isinstance(raw, str):
        try:
            return {"json": json.loads(raw)}
        except ValueError:
            return raw
    return raw


def _encode(body: Any) -> Any:
    if isinstance(body, dict) and set(body) == {"json"}:
        return json.dumps(body["json"], ensure_ascii=False)
    return body


def serialize(cassette: dict[str, Any]) -> str:
    cassette = copy.deepcopy(cassette)  # vcrpy keeps using the dict it hands us
    for item in cassette.get("interactions", []):
        item["request"]["body"] = _decode(item["request"].get("body"))
        response_body = item["response"].get("body", {})
        if "string" in response_body:
            response_body["string"] = _decode(response_body["string"])
    return yaml.dump(cassette, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def deserialize(text: str) -> dict[str, Any]:
    cassette = yaml.safe_load(text) or {}
    for item in cassette.get("interactions", []):
        item["request"]["body"] = _encode(item["request"].get("body"))
        response_body = item["response"].get("body", {})
        if "string" in response_body:
            response_body["string"] = _encode(response_body["string"])
    return cassette
