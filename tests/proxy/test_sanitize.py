"""The sanitizer on its own: which values are secrets, and what replaces them."""

from __future__ import annotations

import json
from dataclasses import replace

from campaign_contracts.recording.origins import Origin
from campaign_contracts.recording.sanitize import CapturedExchange, Sanitizer


def exchange(
    *,
    url: str = "https://vendor.example/_rest/v4/authenticate",
    headers: tuple[tuple[str, str], ...] = (),
    body: bytes | None = None,
    answer_headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),),
    answer: bytes | None = None,
) -> CapturedExchange:
    return CapturedExchange(
        started=0.0,
        method="POST",
        url=url,
        http_version="HTTP/1.1",
        request_headers=headers,
        request_body=body,
        status=200,
        response_headers=answer_headers,
        response_body=answer,
        elapsed_ms=1.0,
    )


def test_the_sign_in_password_and_token_and_the_token_sent_later_share_placeholders() -> None:
    sanitizer = Sanitizer("engage")
    sign_in = sanitizer.sanitize(
        exchange(
            headers=(("Content-Type", "application/json"),),
            body=json.dumps({"username": "ops", "password": "hunter2-secret"}).encode(),
            answer=b'{"token": "eyJ.short-term.token"}',
        )
    )
    assert json.loads(sign_in.request_body or b"") == {
        "username": "ops",
        "password": "<engage-password-1>",
    }
    assert json.loads(sign_in.response_body or b"") == {"token": "<engage-token-1>"}
    later = sanitizer.sanitize(
        exchange(
            url="https://vendor.example/_rest/v2/campaigns",
            headers=(("Authorization", "eyJ.short-term.token"),),
            answer=b"[]",
        )
    )
    assert later.request_headers == (("Authorization", "<engage-token-1>"),)


def test_form_bodies_schemes_and_placeholders_seen_again() -> None:
    sanitizer = Sanitizer("engage", redact=["X-Api-Key"])
    first = sanitizer.sanitize(
        exchange(
            headers=(
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Authorization", "Bearer abc.def.ghi"),
            ),
            body=b"username=ops&password=s%2Fcret+1",
        )
    )
    assert first.request_body == b"username=ops&password=%3Cengage-password-1%3E"
    assert first.request_headers[1] == ("Authorization", "Bearer <engage-token-1>")
    # A recording replayed through the proxy: its placeholders are not secrets of their own.
    again = sanitizer.sanitize(exchange(headers=(("Authorization", "<engage-token-1>"),)))
    assert again.request_headers == (("Authorization", "<engage-token-1>"),)
    assert sorted(sanitizer.placeholders.values()) == ["<engage-password-1>", "<engage-token-1>"]


def test_a_short_secret_is_replaced_only_where_it_stands_alone() -> None:
    sanitizer = Sanitizer("intelsend")
    sanitized = sanitizer.sanitize(
        exchange(
            headers=(("x-user-id", "42"),),
            answer=b'{"userId": "42", "retryAfter": 429, "count": 1420}',
        )
    )
    assert sanitized.response_body == (
        b'{"userId": "<intelsend-user-id-1>", "retryAfter": 429, "count": 1420}'
    )


def test_a_short_secret_inside_a_number_is_left_alone() -> None:
    sanitizer = Sanitizer("intelsend")
    sanitized = sanitizer.sanitize(
        exchange(headers=(("x-user-id", "5"),), answer=b'{"a": -5.25e+16, "v": "4.32.5", "u": 5}')
    )
    assert sanitized.response_body == b'{"a": -5.25e+16, "v": "4.32.5", "u": <intelsend-user-id-1>}'


def test_a_generated_request_teaches_no_short_made_up_secret() -> None:
    """A negative case's cookie `]` is no secret: replaced wherever it stands, it would break
    the JSON of every later body (`["sms"]`)."""
    sanitizer = Sanitizer("intelsend")
    made_up = (("Cookie", "session=]"), ("x-user-id", "SCHEMATHESIS-INVALID-VALUE"))
    first = sanitizer.sanitize(replace(exchange(headers=made_up), origin=Origin.NEGATIVE))
    later = sanitizer.sanitize(exchange(answer=b'{"channel": ["sms"]}'))
    assert later.response_body == b'{"channel": ["sms"]}'
    assert first.request_headers == (
        ("Cookie", "session=]"),
        ("x-user-id", "<intelsend-user-id-1>"),
    )
    # Application traffic's own short secrets are still secrets.
    assert sanitizer.sanitize(exchange(headers=(("Cookie", "s=]"),))).request_headers == (
        ("Cookie", "s=<intelsend-cookie-1>"),
    )


def test_cookies_each_value_and_a_set_cookie_s_value_only() -> None:
    sanitizer = Sanitizer("intelsend")
    sanitized = sanitizer.sanitize(
        exchange(
            headers=(("Cookie", "__Secure-next-auth.session-token=tok-1; theme=darkmode"),),
            answer_headers=(("Set-Cookie", "session=fresh-one; Path=/; HttpOnly"),),
        )
    )
    assert sanitized.request_headers == (
        (
            "Cookie",
            "__Secure-next-auth.session-token=<intelsend-cookie-1>; theme=<intelsend-cookie-2>",
        ),
    )
    assert sanitized.response_headers == (
        ("Set-Cookie", "session=<intelsend-cookie-3>; Path=/; HttpOnly"),
    )
