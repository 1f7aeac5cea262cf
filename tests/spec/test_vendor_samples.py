"""Every sample the vendor docs print validates against our documents, with format checks on."""

from __future__ import annotations

import json

import pytest

from tests.support.vendor_samples import (
    MODELS,
    REPAIRED_PARAMS,
    SAMPLE_PARAMS,
    SAMPLES,
    sample_names,
    targets,
    validator,
)


@pytest.mark.parametrize(("api", "name"), SAMPLE_PARAMS)
def test_vendor_sample_validates(api: str, name: str) -> None:
    for schema_pointer, _, value in targets(api, name):
        errors = sorted(validator(api, schema_pointer).iter_errors(value), key=str)
        assert not errors, "\n".join(e.message for e in errors)


@pytest.mark.parametrize(("api", "name"), SAMPLE_PARAMS)
def test_vendor_sample_is_attached_as_example(api: str, name: str) -> None:
    for _, holder, value in targets(api, name):
        attached = [example["value"] for example in holder.get("examples", {}).values()]
        assert value in attached, f"{api}/{name} is missing from its place's examples"


@pytest.mark.parametrize(("api", "name"), REPAIRED_PARAMS)
def test_malformed_sample_is_repaired_minimally(api: str, name: str) -> None:
    raw = (SAMPLES / api / f"{name}.raw.txt").read_text()
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)
    for repair in json.loads((SAMPLES / api / f"{name}.repairs.json").read_text()):
        assert raw.count(repair["find"]) == 1, repair["why"]
        raw = raw.replace(repair["find"], repair["replace"])
    assert json.loads(raw) == json.loads((SAMPLES / api / f"{name}.json").read_text())


def test_every_operation_has_a_vendor_sample() -> None:
    covered = {(api, name.split("--")[0]) for api, name in sample_names()}
    for api, document in MODELS.items():
        for operation_id in document.operations:
            assert (api, operation_id) in covered


def test_format_checking_is_really_on() -> None:
    """Guard: a bad date-time must fail, or the tests above prove nothing about formats."""
    [(schema_pointer, _, value)] = targets("engage", "createCampaign--response-201")
    value["createdDate"] = "22 February 2022"
    assert list(validator("engage", schema_pointer).iter_errors(value))
