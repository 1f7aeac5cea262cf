"""JSON as the sandbox writes it (answers, stored records, journal entries): compact UTF-8."""

from __future__ import annotations

import json

import orjson

# For what orjson refuses: an integer beyond 64 bits (one a request sent is kept and answered
# back), which this writes, and a lone surrogate, which this refuses as UTF-8 must.
_STANDARD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode_json(payload: object) -> bytes:
    """`payload` as compact UTF-8 JSON; UnicodeEncodeError for a lone surrogate, which UTF-8
    cannot hold."""
    # orjson first: a tenth of the standard library's time, and a create encodes its
    # campaign three times (the checked body, the stored record, the answer).
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:
        return _STANDARD.encode(payload).encode()
