"""The built site, as a reader sees it: `mkdocs build --strict` (what `nox -s docs` runs) into a
temporary folder, served on loopback, opened in headless Chromium (Debian's `chromium`,
which .ci/run installs) over the DevTools protocol. A reader follows the navigation to three
pages and searches; the browser fetches nothing but the site itself: it works offline."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.support.commands import serving

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0
# A page of each part of the site, by the title its navigation link shows.
NAVIGATION = ("A first tour", "Contract runs", "How truth flows")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs", reason="mkdocs is in the docs dependency group")
    folder = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    # --strict fails on a warning; none may be printed either.
    assert "WARNING" not in build.stderr, build.stderr
    return folder


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serving(partial(QuietHandler, directory=str(site))) as base_url:
        yield f"{base_url}/"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[str]:
    """A headless Chromium; the address of its DevTools endpoint."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    profile = tmp_path / "profile"
    process = subprocess.Popen(
        [
            *(executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"),
            *("--remote-debugging-port=0", f"--user-data-dir={profile}"),
            *("--window-size=1280,900", "about:blank"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Chromium writes the port it took into the profile once it listens.
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not port_file.is_file() or not port_file.read_text().strip():
            assert time.monotonic() < deadline, "chromium did not start"
            assert process.poll() is None, "chromium exited"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port_file.read_text().split()[0]}"
    finally:
        process.terminate()
        process.wait(TIMEOUT)


class Page:
    """One browser tab driven over the DevTools protocol; records every URL it requests."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.ids = itertools.count(1)
        self.requested: list[str] = []
        self.loads = 0

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.socket.send_json({"id": number, "method": method, "params": params})
        while True:
            message = json.loads((await self.socket.receive(timeout=TIMEOUT)).data)
            if message.get("method") == "Network.requestWillBeSent":
                self.requested.append(message["params"]["request"]["url"])
            elif message.get("method") == "Page.loadEventFired":
                self.loads += 1
            if message.get("id") == number:
                assert "error" not in message, message
                result: dict[str, Any] = message["result"]
                return result

    async def evaluate(self, expression: str) -> Any:
        answer = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in answer, answer
        return answer["result"].get("value")

    async def wait_for(self, expression: str) -> Any:
        """The value of `expression` once it is truthy (the page polled every 0.1 s)."""
        deadline = time.monotonic() + TIMEOUT
        while not (value := await self.evaluate(expression)):
            assert time.monotonic() < deadline, f"never true: {expression}"
            await asyncio.sleep(0.1)
        return value

    async def title(self) -> str:
        heading: str = await self.wait_for(
            "document.readyState === 'complete' && document.querySelector('article h1')"
            " && document.querySelector('article h1').textContent"
        )
        return heading.replace("¶", "").strip()

    async def follow(self, link_text: str) -> str:
        """Click the navigation link `link_text`; the title of the page it leads to."""
        before = await self.evaluate("location.href")
        clicked = await self.evaluate(
            "(() => { const link = [...document.querySelectorAll('nav.md-nav a')]"
            f".find(a => a.textContent.trim() === {json.dumps(link_text)});"
            " if (!link) return false; link.click(); return true; })()"
        )
        assert clicked, f"no navigation link {link_text!r}"
        await self.wait_for(f"location.href !== {json.dumps(before)}")
        return await self.title()

    async def type(self, text: str) -> None:
        for character in text:
            await self.send("Input.dispatchKeyEvent", type="keyDown", text=character, key=character)
            await self.send("Input.dispatchKeyEvent", type="keyUp", key=character)


async def read_the_site(devtools: str, site_url: str) -> tuple[list[str], list[str], list[str]]:
    """Titles reached through the navigation, the search's results, and every URL fetched."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{devtools}/json/list") as answer:
            targets = await answer.json()
        tab = next(target for target in targets if target["type"] == "page")
        async with session.ws_connect(tab["webSocketDebuggerUrl"], max_msg_size=0) as socket:
            page = Page(socket)
            await page.send("Network.enable")
            await page.send("Page.enable")
            await page.send("Page.navigate", url=site_url)
            titles = [await page.title()]
            titles += [await page.follow(link) for link in NAVIGATION]
            await page.evaluate("document.querySelector('input.md-search__input').focus()")
            await page.type("fault")
            results: list[str] = await page.wait_for(
                "[...document.querySelectorAll('.md-search-result__item h1')]"
                ".map(h => h.textContent.trim())"
            )
            first_result = await page.evaluate(
                "document.querySelector('.md-search-result__item a').href"
            )
            await page.send("Page.navigate", url=first_result)
            titles.append(await page.title())
            return titles, results, page.requested


def test_a_reader_follows_the_navigation_and_searches(browser: str, site_url: str) -> None:
    titles, results, requested = asyncio.run(read_the_site(browser, site_url))
    assert titles[:4] == ["campaign-contracts", *NAVIGATION]
    # The control plane is where faults are injected: its page is among the results.
    assert "The control plane: /_sandbox/" in results
    assert titles[4] in results
    # Offline: fonts, scripts, styles and the search index all come from the site itself.
    foreign = [url for url in requested if not url.startswith((site_url, "data:", "blob:"))]
    assert requested
    assert not foreign
