"""The recordings' credentials, each with characters that encoding changes, and how the tests
read a HAR file and scan files for every form of every secret."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

# Each with characters that percent-encoding and JSON escaping change.
TOKEN = "en-tok/8f3a+91c2="
OTHER_TOKEN = "en-tok/other+77"
SESSION = "ses/7d0e+4b5=="
USER_ID = "usr-51c9/aa08"
API_KEY_HEADER = "hk-1234/5+6"
API_KEY_QUERY = "qk/77+z x"
PASSWORD = 'pa"ss\\wörd-99'
VENDOR_COOKIE = "v3nd0r-s3ss10n"  # set by the stand-in's list answer
SECRETS = [TOKEN, OTHER_TOKEN, SESSION, USER_ID, API_KEY_HEADER, API_KEY_QUERY, PASSWORD]
SECRETS.append(VENDOR_COOKIE)


def encodings(secret: str) -> set[str]:
    """Every form a secret may take in a file: plain, percent-encoded, JSON-escaped."""
    forms = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}
    forms |= {json.dumps(form, ensure_ascii=flag)[1:-1] for form in forms for flag in (True, False)}
    return forms


def assert_no_secret(files: Iterable[Path], texts: Iterable[str] = ()) -> None:
    contents = {str(path): path.read_text(encoding="utf-8") for path in files}
    contents.update({f"log {index}": text for index, text in enumerate(texts)})
    assert contents
    for name, content in contents.items():
        for secret in SECRETS:
            for form in encodings(secret):
                assert form not in content, f"{secret!r} as {form!r} in {name}"


def entries(path: Path) -> list[dict[str, Any]]:
    har = json.loads(path.read_text(encoding="utf-8"))
    assert har["log"]["version"] == "1.2"
    assert har["log"]["creator"]["name"] == "campaign-contracts"
    found: list[dict[str, Any]] = har["log"]["entries"]
    return found


def header(message: dict[str, Any], name: str) -> list[str]:
    return [item["value"] for item in message["headers"] if item["name"].lower() == name]
