"""`campaign-sandbox`: credentials from defaults, environment and flags; start-up messages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from campaign_contracts.httpapi import validation
from campaign_contracts.httpapi.server import listening_socket
from campaign_contracts.httpapi.validation import spec_path
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.cli import config_from, main, parse_args
from campaign_contracts.sandbox.config import ConfigError, build_config
from campaign_contracts.sandbox.serving import serve_in_thread


def test_the_defaults() -> None:
    config = build_config()
    assert config.engage_tokens == {"sandbox-token"}
    assert dict(config.engage_logins) == {"sandbox": "sandbox-password"}
    assert config.engage_token_ttl == 86400
    assert dict(config.intelsend_sessions) == {"sandbox-session": "sandbox-user"}


def test_environment_and_flags_add_credentials() -> None:
    environ = {
        "CAMPAIGN_SANDBOX_ENGAGE_TOKENS": "env-a, env-b,",
        "CAMPAIGN_SANDBOX_INTELSEND_SESSIONS": "s1=u1, s2=u2",
    }
    config = build_config(
        engage_tokens=["flag-token"], intelsend_sessions=["s3=u3", "s1=moved"], environ=environ
    )
    assert config.engage_tokens == {"sandbox-token", "env-a", "env-b", "flag-token"}
    assert dict(config.intelsend_sessions) == {
        "sandbox-session": "sandbox-user",
        "s1": "moved",
        "s2": "u2",
        "s3": "u3",
    }


def test_engage_logins_from_environment_and_flags() -> None:
    environ = {"CAMPAIGN_SANDBOX_ENGAGE_LOGINS": "ana=pw1, bob=a=b,"}
    config = build_config(engage_logins=["carl=pw3", "ana=moved"], environ=environ)
    # A password is kept as given, `=` included; the last one named wins.
    assert dict(config.engage_logins) == {
        "sandbox": "sandbox-password",
        "ana": "moved",
        "bob": "a=b",
        "carl": "pw3",
    }
    only = build_config(
        engage_logins=["me=pw"], intelsend_sessions=["s=u"], default_credentials=False
    )
    assert (dict(only.engage_logins), only.engage_tokens) == ({"me": "pw"}, frozenset())


def test_a_bad_login_never_echoes_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--engage-login", "hunter2"]) == 2
    assert "hunter2" not in capsys.readouterr().err


def test_the_defaults_can_be_replaced() -> None:
    config = build_config(
        engage_tokens=["mine"], intelsend_sessions=["tok=me"], default_credentials=False
    )
    assert config.engage_tokens == {"mine"}
    assert dict(config.intelsend_sessions) == {"tok": "me"}


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"intelsend_sessions": ["no-user"]}, "TOKEN=USER_ID"),
        ({"intelsend_sessions": ["=user"]}, "TOKEN=USER_ID"),
        ({"default_credentials": False, "intelsend_sessions": ["a=b"]}, "no Engage credentials"),
        ({"engage_logins": ["nobody"]}, "'=' is missing"),
        ({"engage_logins": ["=secret"]}, "the user is empty"),
        ({"engage_logins": ["me="]}, "the password of 'me' is empty"),
        ({"engage_token_ttl": 0}, "lifetime must be positive"),
        ({"engage_token_ttl": float("nan")}, "lifetime must be positive"),
        ({"default_credentials": False, "engage_tokens": ["a"]}, "no IntelSend session"),
    ],
)
def test_unusable_credentials_are_refused(arguments: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        build_config(**arguments)  # type: ignore[arg-type]


def test_a_busy_port_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with listening_socket("127.0.0.1", 0) as busy:
        port = busy.getsockname()[1]
        assert main(["--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"campaign-sandbox: cannot listen on 127.0.0.1:{port}: address already in use\n"
    )


def test_a_bad_session_flag_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--intelsend-session", "nobody"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("campaign-sandbox: an IntelSend session is TOKEN=USER_ID")
    assert error.count("\n") == 1


def test_the_command_prints_its_url_and_credentials_and_serves() -> None:
    command = [
        sys.executable,
        "-m",
        "campaign_contracts.sandbox.cli",
        "--port",
        "0",
        "--no-access-log",
    ]
    command += ["--engage-token", "cli-token", "--intelsend-session", "cli-session=cli-user"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            banner = [process.stdout.readline() for _ in range(8)]
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", banner[0])
            assert match, banner
            text = "".join(banner)
            for credential in ("sandbox-token", "cli-token", "cli-session", "cli-user"):
                assert credential in text
            response = httpx.get(
                f"{match[1]}/_rest/v2/campaigns", headers={"Authorization": "cli-token"}
            )
            assert response.json() == []
        finally:
            process.terminate()


def test_the_documents_come_from_the_repository_in_a_checkout() -> None:
    assert spec_path("engage").parent.name == "openapi"
    assert spec_path("intelsend").read_text(encoding="utf-8").startswith("openapi: 3.1")


ENGAGE_DOCUMENT = spec_path("engage").read_text(encoding="utf-8")
INTELSEND_DOCUMENT = spec_path("intelsend").read_text(encoding="utf-8")
# The API whose document is broken, the broken document, what the error says.
MALFORMED_DOCUMENTS = {
    "not YAML": (
        "engage",
        "openapi: 3.1.0\ninfo: [unclosed\n",
        "not valid YAML (line 3): did not find",
    ),
    "not a document": ("engage", "hello\n", "not an OpenAPI document (no `paths` mapping)"),
    "an operation without responses": (
        "engage",
        ENGAGE_DOCUMENT.replace("responses:", "responsez:", 1),
        "GET /_rest/v2/campaigns: KeyError: 'responses'",
    ),
    "a renamed operation": (
        "engage",
        ENGAGE_DOCUMENT.replace("operationId: listCampaigns", "operationId: listThem"),
        "the document's operationIds are ['authenticate', 'campaignAction'",
    ),
    "an invalid schema type": (
        "intelsend",
        INTELSEND_DOCUMENT.replace(
            "templateId:\n          type: string", "templateId:\n          type: strng", 1
        ),
        "intelsend.yaml: not valid OpenAPI 3.1 (line 434, column 17, at"
        ' /components/schemas/EmailSettings/properties/templateId/type): "strng" is not one of',
    ),
    "no securitySchemes": (
        "engage",
        ENGAGE_DOCUMENT.replace("in: header", "in: query"),
        "engage.yaml: components.securitySchemes has no scheme `in: header`",
    ),
    "no cookie scheme": (
        "intelsend",
        INTELSEND_DOCUMENT.replace("in: cookie", "in: query"),
        "intelsend.yaml: components.securitySchemes has no scheme `in: cookie`",
    ),
    "a scheme without a name": (
        "intelsend",
        INTELSEND_DOCUMENT.replace("name: x-user-id", "nam: x-user-id"),
        "intelsend.yaml: not valid OpenAPI 3.1 (line 331, column 7, at"
        ' /components/securitySchemes/IntelSendUserId): "name" is a required property',
    ),
}


@pytest.mark.parametrize("case", MALFORMED_DOCUMENTS)
def test_a_malformed_document_is_a_one_line_error(
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api, document, problem = MALFORMED_DOCUMENTS[case]
    broken = tmp_path / f"{api}.yaml"
    broken.write_text(document, encoding="utf-8")
    monkeypatch.setattr(
        validation, "spec_path", lambda name: broken if name == api else spec_path(name)
    )

    assert main(["--port", "0"]) == 2

    error = capsys.readouterr().err
    assert error.startswith("campaign-sandbox: "), error
    assert error.count("\n") == 1, error
    assert problem in error


def test_api_serves_only_the_apis_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--api intelsend` reads intelsend.yaml alone: a broken engage.yaml does not matter."""
    broken = tmp_path / "engage.yaml"
    broken.write_text("openapi: [\n", encoding="utf-8")
    monkeypatch.setattr(
        validation, "spec_path", lambda name: broken if name == "engage" else spec_path(name)
    )
    config = config_from(parse_args(["--api", "intelsend"]))
    with serve_in_thread(create_app(config)) as base_url:
        assert httpx.get(f"{base_url}/_sandbox/health").json()["apis"] == ["intelsend"]
        listed = httpx.get(f"{base_url}/api/campaign", headers={"x-user-id": "sandbox-user"})
        assert listed.status_code == 200
        assert httpx.get(f"{base_url}/_rest/v2/campaigns").status_code == 404
