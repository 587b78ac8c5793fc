"""Validate results against the JSON Schema that ships in the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

import jsonschema


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(files("airflow_evalguard").joinpath("schemas/result.v1.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid_result(obj) -> dict:
    """Accepts a CheckResult or its dict; returns the dict after validating it."""
    data = obj.to_dict() if hasattr(obj, "to_dict") else obj
    validator().validate(json.loads(json.dumps(data)))
    return data
