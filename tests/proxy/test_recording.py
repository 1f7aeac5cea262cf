"""Recordings: HAR 1.2 files, rotated, with every credential replaced by a stable placeholder
before anything is written; a scan of every file for every secret, in every encoding."""

from __future__ import annotations

import functools
import json
import logging
import time
from pathlib import Path

import httpx
import pytest

from campaign_contracts.proxy.app import ProxySettings
from campaign_contracts.recording.har import (
    BackgroundHarWriter,
    HarWriter,
    har_entry,
    har_entry_json,
)
from campaign_contracts.recording.sanitize import CapturedExchange, Sanitizer
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.credentials import SESSION_COOKIE
from tests.support.proxy_stand_in import ANSWERS, proxy, stand_in
from tests.support.recordings import (
    API_KEY_HEADER,
    API_KEY_QUERY,
    OTHER_TOKEN,
    PASSWORD,
    SESSION,
    TOKEN,
    USER_ID,
    assert_no_secret,
    encodings,
    entries,
    header,
)


def send_secrets(base_url: str) -> None:
    engage = {"Authorization": TOKEN}
    intelsend = {"x-user-id": USER_ID, "Cookie": f"{SESSION_COOKIE}={SESSION}"}
    with httpx.Client(base_url=base_url, timeout=10) as client:
        client.get("/_rest/v2/campaigns", headers=engage)
        # Unknown to ANSWERS: the stand-in echoes headers, query and body back.
        client.get("/_rest/v2/campaigns/echo", params={"id": TOKEN}, headers=engage)
        client.post(
            "/_rest/v2/campaigns",
            json={"username": "someone", "password": PASSWORD, "campaignName": "x"},
            headers={**engage, "X-Api-Key": API_KEY_HEADER},
        )
        client.put("/_rest/v2/campaigns/abc", json={}, headers={"Authorization": OTHER_TOKEN})
        client.get("/api/campaign", params={"api_key": API_KEY_QUERY}, headers=intelsend)
        client.put("/api/campaign/abc/build", headers=intelsend)
        # A token that is also named as a bearer token, and in a JSON answer field.
        client.get("/_rest/v2/campaigns", headers={"Authorization": f"Bearer {TOKEN}"})


def test_no_secret_reaches_any_file_and_placeholders_are_stable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    record = tmp_path / "recordings"
    violations = tmp_path / "violations.jsonl"
    with stand_in() as vendor:
        settings = ProxySettings(
            upstreams={"engage": vendor, "intelsend": vendor},
            record_dir=record,
            redact=("X-Api-Key", "api_key"),
            violations_file=violations,
        )
        with proxy(settings) as base_url:
            send_secrets(base_url)
    files = sorted(record.iterdir())
    assert [path.name.split("-")[0] for path in files] == ["engage", "intelsend"]
    assert_no_secret([*files, violations], [record.getMessage() for record in caplog.records])

    engage, intelsend = (entries(path) for path in files)
    assert [entry["request"]["method"] for entry in engage] == ["GET", "GET", "POST", "PUT", "GET"]
    assert [header(entry["request"], "authorization") for entry in engage] == [
        ["<engage-token-1>"],
        ["<engage-token-1>"],
        ["<engage-token-1>"],
        ["<engage-token-2>"],
        ["Bearer <engage-token-1>"],
    ]
    echoed = json.loads(engage[1]["response"]["content"]["text"])
    assert echoed["headers"]["authorization"] == "<engage-token-1>"
    assert engage[1]["request"]["queryString"] == [{"name": "id", "value": "<engage-token-1>"}]
    assert engage[1]["request"]["url"].endswith("?id=%3Cengage-token-1%3E")
    posted = json.loads(engage[2]["request"]["postData"]["text"])
    assert posted == {"username": "someone", "password": "<engage-password-1>", "campaignName": "x"}
    assert header(engage[2]["request"], "x-api-key") == ["<engage-x-api-key-1>"]
    assert engage[0]["response"]["cookies"] == [
        {"name": "vendor-session", "value": "<engage-cookie-1>"}
    ]
    assert header(engage[0]["response"], "set-cookie") == [
        "vendor-session=<engage-cookie-1>; Path=/"
    ]
    for entry in intelsend:
        assert header(entry["request"], "x-user-id") == ["<intelsend-user-id-1>"]
        assert entry["request"]["cookies"] == [
            {"name": SESSION_COOKIE, "value": "<intelsend-cookie-1>"}
        ]
    assert intelsend[0]["request"]["queryString"] == [
        {"name": "api_key", "value": "<intelsend-api-key-1>"}
    ]


def test_entries_are_har_of_what_travelled(tmp_path: Path) -> None:
    with stand_in() as vendor:
        settings = ProxySettings(upstreams={"engage": vendor}, record_dir=tmp_path)
        with proxy(settings) as base_url:
            httpx.get(f"{base_url}/_rest/v2/campaigns/errors", headers={"Authorization": "t"})
    (path,) = tmp_path.iterdir()
    (entry,) = entries(path)
    status, content_type, body, _headers = ANSWERS["GET", "/_rest/v2/campaigns/errors"]
    assert set(entry) >= {"startedDateTime", "time", "request", "response", "cache", "timings"}
    assert entry["startedDateTime"].endswith("Z")
    request, response = entry["request"], entry["response"]
    assert request["url"] == f"{vendor}/_rest/v2/campaigns/errors"
    assert header(request, "host") == [vendor.removeprefix("http://")]
    assert set(request) >= {"httpVersion", "cookies", "headers", "queryString", "bodySize"}
    assert (response["status"], response["statusText"]) == (status, "Service Unavailable")
    assert response["content"] == {
        "size": len(body),
        "mimeType": content_type,
        "text": body.decode(),
    }
    assert header(response, "retry-after") == ["30"]
    assert set(entry["timings"]) == {"send", "wait", "receive"}


def test_files_rotate_every_n_exchanges_each_valid_har(tmp_path: Path) -> None:
    with stand_in() as vendor:
        settings = ProxySettings(upstreams={"engage": vendor}, record_dir=tmp_path, record_rotate=2)
        with proxy(settings) as base_url:
            for index in range(5):
                httpx.get(f"{base_url}/_rest/v2/campaigns/", params={"id": str(index)})
    files = sorted(tmp_path.iterdir())
    assert [path.name[-9:] for path in files] == ["-0001.har", "-0002.har", "-0003.har"]
    ids = [
        [entry["request"]["queryString"][0]["value"] for entry in entries(path)] for path in files
    ]
    assert ids == [["0", "1"], ["2", "3"], ["4"]]


def test_an_unanswered_exchange_is_recorded_with_status_0(tmp_path: Path) -> None:
    with stand_in() as vendor:
        pass  # stopped: its port now refuses connections
    settings = ProxySettings(upstreams={"engage": vendor}, record_dir=tmp_path)
    with proxy(settings) as base_url:
        assert httpx.get(f"{base_url}/_rest/v2/campaigns").status_code == 502
    (path,) = tmp_path.iterdir()
    (entry,) = entries(path)
    assert entry["response"]["status"] == 0
    assert entry["comment"].startswith("no answer: ClientConnectorError: Cannot connect to host")


def test_a_sign_in_through_the_proxy_is_recorded_without_its_password_or_token(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Engage's authenticate against the sandbox: the password sent and the token answered are
    placeholders, and the token sent afterwards has the same one."""
    caplog.set_level(logging.INFO)
    password = 'pw/"sign-in"+ö'
    vendor = create_app(build_config(engage_logins=[f"ops={password}"]))
    with serve_in_thread(vendor) as upstream:
        settings = ProxySettings(upstreams={"engage": upstream}, record_dir=tmp_path)
        with proxy(settings) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
            signed_in = client.post(
                "/_rest/v4/authenticate", json={"username": "ops", "password": password}
            )
            assert signed_in.status_code == 200
            assert signed_in.headers["x-contract-violations"] == "0"
            token = signed_in.json()["token"]
            listed = client.get("/_rest/v2/campaigns", headers={"Authorization": token})
            assert listed.status_code == 200
    (path,) = tmp_path.iterdir()
    sign_in, listing = entries(path)
    assert json.loads(sign_in["request"]["postData"]["text"]) == {
        "username": "ops",
        "password": "<engage-password-1>",
    }
    assert json.loads(sign_in["response"]["content"]["text"]) == {"token": "<engage-token-1>"}
    assert header(listing["request"], "authorization") == ["<engage-token-1>"]
    content = path.read_text(encoding="utf-8")
    logs = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (password, token):
        for form in encodings(secret):
            assert form not in content
            assert form not in logs


def test_the_background_writer_writes_all_it_was_handed_before_it_closes(tmp_path: Path) -> None:
    """However slowly entries are built, close() returns only once each is in the file."""
    writer = BackgroundHarWriter(HarWriter(tmp_path, "slow", Sanitizer("engage")), max_pending=4)

    def slow(index: int) -> CapturedExchange:
        time.sleep(0.005)
        return CapturedExchange(
            0.0, "GET", f"http://x/{index}", "HTTP/1.1", (), None, 200, (), b"", 1.0
        )

    for index in range(40):
        writer.write_later(functools.partial(slow, index))
    writer.close()
    (path,) = tmp_path.iterdir()
    assert [entry["request"]["url"] for entry in entries(path)] == [
        f"http://x/{index}" for index in range(40)
    ]


@pytest.mark.parametrize(
    "exchange",
    [
        CapturedExchange(
            1_700_000_000.123456,
            "POST",
            "http://h:1/p?a=1&b=%22x%22&c",
            "HTTP/1.1",
            (("Host", "h:1"), ("Cookie", 's=1; t="2"'), ("Content-Type", "application/json")),
            '{"name": "é\\n\\"q\\"", "x": "\u2028"}'.encode(),
            201,
            (("Set-Cookie", "v=3; Path=/"), ("Location", "/p/1"), ("X-Odd", "tab\there")),
            b'{"ok": true}',
            12.3456789,
            'a comment with "quotes" and ünicode',
        ),
        CapturedExchange(
            0.0, "GET", "http://h/", "HTTP/2", (), None, 0, (), None, 0.0, "no answer"
        ),
        CapturedExchange(
            5.5, "PUT", "http://h/b", "HTTP/1.1", (), b"\xff\xfe\x00", 599, (), b"\x80", 1e-9
        ),
        CapturedExchange(5.5, "GET", "http://h/e", "HTTP/1.1", (), b"", 204, (), b"", 3.0),
        CapturedExchange(
            5.5, "GET", "http://h/r", "HTTP/1.1", (), None, 200, (), b"", 3.0, "", "rule", 2
        ),
    ],
)
def test_entries_written_directly_are_json_dumps_of_har_entry(exchange: CapturedExchange) -> None:
    """The writer's own serializer says exactly what json.dumps of the entry says."""
    assert har_entry_json(exchange) == json.dumps(har_entry(exchange), ensure_ascii=False)
