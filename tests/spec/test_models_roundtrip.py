"""The generated pydantic models round-trip every vendor-doc payload: parse, dump by alias, compare.

Date-times compare as instants: pydantic writes `2019-06-26T00:00:00.000Z` back as
`2019-06-26T00:00:00Z`, the same moment in another spelling.
"""

from __future__ import annotations

import datetime
import importlib
import re
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from tests.support.vendor_samples import SPECS, lookup, sample_names, targets

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def model_type(api: str, schema: dict[str, Any]) -> Any:
    """The generated type for a schema: a named component's class, or a list of one."""
    models = importlib.import_module(f"campaign_models.{api}")
    if schema.get("type") == "array":
        return list[model_type(api, schema["items"])]  # type: ignore[misc]
    return getattr(models, schema["$ref"].rsplit("/", 1)[-1])


def normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str) and DATE_TIME.match(value):
        return datetime.datetime.fromisoformat(value)
    return value


PAYLOADS = [
    pytest.param(api, name, id=f"{api}/{name}")
    for api, name in sample_names()
    if name.split("--")[1] not in ("query", "path")  # parameters are not models
]


@pytest.mark.parametrize(("api", "name"), PAYLOADS)
def test_model_round_trips_vendor_sample(api: str, name: str) -> None:
    [(schema_pointer, _, sample)] = targets(api, name)
    adapter: TypeAdapter[Any] = TypeAdapter(model_type(api, lookup(SPECS[api], schema_pointer)))
    parsed = adapter.validate_python(sample)
    dumped = adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
    assert normalise(dumped) == normalise(sample)
    if isinstance(parsed, BaseModel):
        assert not parsed.model_extra, "every documented field should be modelled"
