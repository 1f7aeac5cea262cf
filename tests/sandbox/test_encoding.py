"""The sandbox's JSON writer: orjson, and the standard library for what orjson refuses."""

from __future__ import annotations

import json

import pytest

from campaign_contracts.httpapi.encoding import encode_json


def test_answers_are_compact_utf8_json() -> None:
    payload = {"name": "Café ☕", "n": [1, 2.5, None, True], "nested": {"a": ""}}
    expected = '{"name":"Café ☕","n":[1,2.5,null,true],"nested":{"a":""}}'
    assert encode_json(payload) == expected.encode()


def test_an_integer_beyond_64_bits_is_written_as_it_came() -> None:
    huge = 10**40
    assert json.loads(encode_json({"page": huge})) == {"page": huge}


def test_a_lone_surrogate_is_refused_as_utf8_must() -> None:
    with pytest.raises(UnicodeEncodeError):
        encode_json({"name": "\ud800"})
