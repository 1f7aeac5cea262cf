"""Every load checks that a document is valid OpenAPI 3.1, and says where it is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from campaign_contracts.documents import DocumentError, parse_document

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = "openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n"


@pytest.mark.parametrize("name", ["engage", "intelsend"])
def test_the_documents_are_valid(name: str) -> None:
    path = ROOT / "openapi" / f"{name}.yaml"
    parse_document(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize(
    ("addition", "problem", "line", "column"),
    [
        (
            "components:\n  schemas:\n    A:\n      type: strng\n",
            'not valid OpenAPI 3.1 (line 7, column 13, at /components/schemas/A/type): "strng"'
            ' is not one of "array", "boolean" or 5 other candidates',
            7,
            13,
        ),
        (
            "components:\n  schemas:\n    A:\n      properties:\n        b: {minLength: -1}\n",
            "not valid OpenAPI 3.1 (line 8, column 24, at"
            " /components/schemas/A/properties/b/minLength): -1 is less than the minimum of 0",
            8,
            24,
        ),
        (
            "servers:\n  - description: no url\n",
            'not valid OpenAPI 3.1 (line 5, column 5, at /servers/0): "url" is a required property',
            5,
            5,
        ),
    ],
    ids=["type: strng", "negative minLength", "server without url"],
)
def test_an_invalid_document_is_one_line_with_its_position(
    addition: str, problem: str, line: int, column: int
) -> None:
    with pytest.raises(DocumentError) as raised:
        parse_document(MINIMAL + addition, "openapi/x.yaml")
    assert str(raised.value) == f"openapi/x.yaml: {problem}"
    assert (raised.value.line, raised.value.column) == (line, column)


def test_yaml_numbers_and_dates_are_read_as_json_would() -> None:
    """`200:` is a number and an unquoted date a `date` object to YAML; neither is invalid."""
    parse_document(
        MINIMAL.replace("paths: {}", "paths:\n  /a:\n    get:\n      operationId: a\n")
        + "      responses:\n        200:\n          description: ok\n"
        + "          content:\n            application/json:\n              example: 2024-01-31\n",
        "openapi/x.yaml",
    )


def test_the_command_checks_each_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINIMAL + "components:\n  schemas:\n    A:\n      type: strng\n")
    malformed = tmp_path / "malformed.yaml"
    malformed.write_text("openapi: [3.1.0\n")
    good = ROOT / "openapi" / "engage.yaml"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "campaign_contracts.documents",
            str(broken),
            str(good),
            str(malformed),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stdout == f"{good}: valid OpenAPI 3.1\n"
    assert run.stderr.splitlines() == [
        f"{broken}: not valid OpenAPI 3.1 (line 7, column 13, at /components/schemas/A/type):"
        ' "strng" is not one of "array", "boolean" or 5 other candidates',
        f"{malformed}: not valid YAML (line 2): did not find expected ',' or ']'",
    ]
