"""Bad input of every kind gets a clear JSON answer; nothing makes the sandbox answer a 5xx."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_contracts.sandbox.engage.state import EngageBackend
from campaign_contracts.sandbox.intelsend.state import IntelSendBackend
from tests.support.sandbox_checks import check

ENGAGE_LIST = "/_rest/v2/campaigns"
LIST_ID = "6889fa1e53d9e06f64c13d59"
SMS = {"sms": {"shortCode": "9498671145", "templateId": "6708a567654ca1d854afa3bd", "version": 1}}
LIMIT = 1024 * 1024


@pytest.mark.parametrize(
    ("path", "shape"),
    [
        ("/nowhere", {"message", "status"}),
        ("/_rest/v2/campaigns/x/y/z", {"message", "status"}),
        ("/api/campaign/x/publish", {"result", "message"}),
        ("/_sandbox/nothing", {"message", "status"}),
    ],
)
def test_unknown_paths_answer_json_404_in_the_apis_shape(
    engage: httpx.Client, path: str, shape: set[str]
) -> None:
    response = engage.get(path)
    assert response.status_code == 404
    assert set(response.json()) == shape
    assert path in response.json()["message"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/_rest/v2/campaigns", {"GET", "HEAD", "POST"}),
        ("GET", "/_rest/v2/campaigns/abc", {"PUT", "DELETE"}),
        ("GET", "/_rest/v2/campaigns/abc/action", {"POST"}),
        ("DELETE", "/api/campaign", {"GET", "HEAD", "POST"}),
        ("GET", "/api/campaign/abc/build", {"PUT"}),
        ("GET", "/_sandbox/reset", {"POST"}),
        ("PUT", "/_sandbox/faults", {"GET", "HEAD", "POST", "DELETE"}),
    ],
)
def test_wrong_methods_answer_json_405_listing_the_allowed_ones(
    engage: httpx.Client, method: str, path: str, allowed: set[str]
) -> None:
    response = engage.request(method, path)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed
    assert method in response.json()["message"]


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/vnd+json"]
)
def test_json_media_types_are_accepted(engage: httpx.Client, content_type: str) -> None:
    response = engage.post(ENGAGE_LIST, content=b"{}", headers={"Content-Type": content_type})
    check("engage", "createCampaign", response, 201)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_other_content_types_answer_400(engage: httpx.Client, content_type: str) -> None:
    response = engage.post(ENGAGE_LIST, content=b"{}", headers={"Content-Type": content_type})
    error = check("engage", "createCampaign", response, 400)
    assert "Content-Type must be application/json" in error["message"]


@pytest.mark.parametrize(
    "body", [b"NaN", b"[Infinity]", b"\xff\xfe{", b"[" * 100_000, b'{"a": 1e999999}', b"1" * 5000]
)
def test_what_is_not_json_answers_400(engage: httpx.Client, body: bytes) -> None:
    response = engage.post(ENGAGE_LIST, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert engage.get(ENGAGE_LIST).json() == []


# Lone surrogates are valid JSON escapes but no text: stored, no answer could carry them back.
@pytest.mark.parametrize(
    ("api", "path", "body"),
    [
        ("engage", ENGAGE_LIST, b'{"campaignName": "promo \\ud800"}'),
        ("engage", ENGAGE_LIST, b'{"campaignName": "a", "flowId": "\\udfff"}'),
        ("intelsend", "/api/campaign", b'{"name": "\\udbff", "channel": [], "settings": {}}'),
    ],
)
def test_a_lone_surrogate_is_refused_and_poisons_nothing(
    engage: httpx.Client, intelsend: httpx.Client, api: str, path: str, body: bytes
) -> None:
    client = {"engage": engage, "intelsend": intelsend}[api]
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    error = check(api, "createCampaign", response, 400)
    assert "lone surrogate" in error["message"]
    assert engage.get(ENGAGE_LIST).json() == []
    assert intelsend.get("/api/campaign").json()["meta"]["count"] == 0


def test_the_control_plane_refuses_a_lone_surrogate(
    anonymous: httpx.Client, intelsend: httpx.Client
) -> None:
    response = anonymous.put(
        f"/_sandbox/intelsend/contact-lists/{LIST_ID}",
        content=b'{"name": "\\ud800", "contacts": 1}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["message"]
    created = intelsend.post(
        "/api/campaign",
        json={"name": "n", "channel": ["sms"], "settings": SMS, "contactListId": [LIST_ID]},
    )
    assert created.status_code == 200
    assert intelsend.get("/api/campaign").json()["result"][0]["contactListId"][0]["name"] == (
        f"list-{LIST_ID[-6:]}"
    )


def test_a_bug_answers_a_sandbox_failure_not_the_vendors_500(
    monkeypatch: pytest.MonkeyPatch, engage: httpx.Client, intelsend: httpx.Client
) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("a sandbox bug")

    monkeypatch.setattr(EngageBackend, "run", broken)
    monkeypatch.setattr(IntelSendBackend, "page", broken)
    campaign = engage.post(ENGAGE_LIST, json={"campaignName": "draft"}).json()

    ran = engage.post(f"{ENGAGE_LIST}/{campaign['_id']}/action", json={"action": "run"})
    listed = intelsend.get("/api/campaign")

    for response, shape in ((ran, {"message", "status"}), (listed, {"result", "message"})):
        assert response.status_code == 500
        assert response.headers["x-sandbox-error"] == "ZeroDivisionError"
        assert set(response.json()) == shape
        assert response.json()["message"].startswith("Sandbox failure (ZeroDivisionError)")


def test_a_body_that_says_it_is_too_large_answers_413(engage: httpx.Client) -> None:
    body = b'{"campaignName": "' + b"x" * LIMIT + b'"}'
    response = engage.post(ENGAGE_LIST, content=body)
    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert engage.get(ENGAGE_LIST).json() == []


def test_a_streamed_body_is_cut_off_at_the_limit(intelsend: httpx.Client) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        # Chunked: the size is unknown until the limit is crossed while reading.
        nonlocal sent
        for _ in range(64):
            sent += 64 * 1024
            yield b" " * (64 * 1024)

    response = intelsend.post("/api/campaign", content=chunks())
    assert response.status_code == 413
    assert response.json() == {
        "result": "error",
        "message": f"The request body is larger than the limit of {LIMIT} bytes",
    }
    assert intelsend.get("/api/campaign").json()["meta"]["count"] == 0


def test_garbage_on_the_socket_never_stops_the_server(engage: httpx.Client) -> None:
    address = urlsplit(str(engage.base_url))
    for garbage in (
        b"\x00\xff" * 100,
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    ):
        with socket.create_connection((address.hostname, address.port), timeout=5) as raw:
            raw.sendall(garbage)
            raw.shutdown(socket.SHUT_WR)
            while raw.recv(4096):
                pass
    assert engage.get(ENGAGE_LIST).status_code == 200


# Fuzzing: any method on any path (real ones with random ids, prefixes with random tails), any
# query, any body, with and without credentials. The sandbox must answer every one with JSON and
# a status under 500: none of the fuzzed calls can reach a documented 500 (running a draft needs
# a campaign id the fuzzer cannot know).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
PATHS = st.one_of(
    st.sampled_from(
        [
            "/_rest/v2/campaigns",
            "/_rest/v2/campaigns/",
            "/_rest/v2/campaigns/errors",
            "/api/campaign",
            "/_sandbox/seed",
            "/_sandbox/faults",
            "/_sandbox/engage/quirks",
        ]
    ),
    # The random segment is percent-encoded: a raw "/" at its start would make "//host" of the
    # path and test httpx's URL parser instead of the sandbox.
    st.builds(
        "{}/{}{}".format,
        st.sampled_from(["/_rest/v2/campaigns", "/api/campaign", "/_sandbox", ""]),
        TEXT.map(lambda segment: quote(segment, safe="")),
        st.sampled_from(["", "/action", "/build", "/send", "/error", "/finish", "/x/y"]),
    ),
)
QUERY = st.dictionaries(
    st.sampled_from(["id", "name", "page", "limit", "status", "channel", "startDate", "api", "x"]),
    TEXT,
    max_size=3,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
BODIES = st.one_of(
    st.binary(max_size=200),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {"action": st.sampled_from(["publish", "run", "x"])}, optional={"seed": st.integers()}
    ).map(lambda value: json.dumps(value).encode()),
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "Authorization": st.sampled_from(["sandbox-token", "other-token", "nope", "Bearer x"]),
        "x-user-id": st.sampled_from(["sandbox-user", "other-user", "nobody"]),
        "Cookie": st.sampled_from(
            ["__Secure-next-auth.session-token=sandbox-session", "a=b", "==;;"]
        ),
        "Content-Type": st.sampled_from(["application/json", "text/plain", "x/y; q=1", ""]),
    },
)


REQUESTS = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
        "url": PATHS,
        "params": QUERY,
        "content": BODIES,
        "headers": HEADERS,
    }
)


# The client fixture is reset once per test, not per example: state left by one example does
# not matter to the next, any state must be answered without a 5xx.
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=REQUESTS)
def test_no_request_makes_it_answer_a_server_error(
    anonymous: httpx.Client, request: dict[str, Any]
) -> None:
    response = anonymous.request(**request)
    assert response.status_code < 500, (response.status_code, response.text)
    if response.url.path == "/_sandbox/" and response.status_code == 200:
        # The inspector page, the one answer meant for people.
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        return
    assert response.headers["content-type"] == "application/json"
    if request["method"] != "HEAD":
        assert isinstance(response.json(), (dict, list, bool))


# Any text at all, lone surrogates included, in every string a body stores: each write is
# answered (stored or refused), and afterwards the lists and gets still answer 200 with JSON.
# Surrogates are 2,048 of 1.1 million code points: drawn apart too, or they would hardly appear
# (and joined by hand: `st.text` merges the two alphabets and drops the surrogates again).
ANY_TEXT = st.lists(
    st.characters(exclude_categories=()) | st.characters(categories=["Cs"]), max_size=8
).map("".join)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.tuples(ANY_TEXT, ANY_TEXT, ANY_TEXT))
def test_no_text_poisons_the_state(
    anonymous: httpx.Client,
    engage: httpx.Client,
    intelsend: httpx.Client,
    texts: tuple[str, str, str],
) -> None:
    name, description, list_name = texts

    def post(client: httpx.Client, path: str, payload: object, method: str = "POST") -> None:
        # json.dumps escapes a lone surrogate as \udxxx, as any client library would send it.
        response = client.request(
            method, path, content=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        assert response.status_code < 500, response.text

    post(
        anonymous,
        f"/_sandbox/intelsend/contact-lists/{LIST_ID}",
        {"name": list_name, "contacts": 2},
        "PUT",
    )
    post(engage, ENGAGE_LIST, {"campaignName": name, "campaignDescription": description})
    post(
        intelsend,
        "/api/campaign",
        {"name": name, "channel": ["sms"], "settings": SMS, "contactListId": [LIST_ID]},
    )
    for client, path, params in (
        (engage, ENGAGE_LIST, {}),
        (engage, f"{ENGAGE_LIST}/errors", {}),
        (intelsend, "/api/campaign", {"limit": 100}),
    ):
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        json.loads(response.content)  # strict UTF-8 JSON
    for campaign in engage.get(ENGAGE_LIST).json():
        response = engage.get(f"{ENGAGE_LIST}/", params={"id": campaign["_id"]})
        assert response.status_code == 200, response.text
