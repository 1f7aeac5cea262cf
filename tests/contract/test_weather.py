"""Weather is no finding: a live run against a stand-in that rate-limits (429 with
`Retry-After`), answers slowly, times out and drops GETs judges exactly as it does in calm
weather, and says how many requests it sent again. What stays bad weather ends the run "not
verified", never "broken". The run's recording holds every try: each 429 waited out, each
dropped one, then the answer that counted."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests import cli
from contract_tests.apis import APIS
from contract_tests.recording import RunRecording, har_path
from contract_tests.session import ApiSession
from contract_tests.weather import (
    AFTER_429,
    AFTER_DROP,
    WeatherTransport,
    patched_requests,
    retry_after,
)
from contract_tests.weather import Weather as RunWeather
from tests.support.breakages import wrong_field_type
from tests.support.credentials import SECRETS, assert_no_secret_anywhere
from tests.support.stand_in_vendor import Tamper, Weather, stand_in_app

ENGAGE = APIS["engage"]

RUN_PREFIX = re.compile(r"contract-test-\d{14}-[0-9a-f]{4}-")
# Faster than any stand-in below allows: the run has to meet its limit.
FAST = ["--rate-limit", "100/s", "--max-examples", "2"]


CREDENTIALS = {"ENGAGE_TOKEN": SECRETS["ENGAGE_TOKEN"]}


def http_date(seconds_from_now: float) -> str:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds_from_now)
    return format_datetime(when, usegmt=True)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("3", 3.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        # Not RFC 9110's, and sent by some: read as the seconds they say.
        ("0.4", 0.4),
        ("-3", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("", None),
        ("soon", None),
        ("1e3", None),
        ("nan", None),
        ("Wed, 99 Foo 2015", None),
    ],
)
def test_retry_after_reads_seconds_and_dates_never_negative(
    value: str | None, seconds: float | None
) -> None:
    assert retry_after(value) == seconds


def test_retry_after_reads_a_date_as_the_seconds_until_then() -> None:
    wait = retry_after(http_date(90))
    assert wait is not None
    assert 80 <= wait <= 90
    assert retry_after(http_date(-3600)) == 0.0


def engage_session(base_url: str, transport: RunWeather | httpx.BaseTransport) -> ApiSession:
    return ApiSession(
        ENGAGE,
        ENGAGE.load_spec(),
        base_url,
        CREDENTIALS,
        None,
        transport=WeatherTransport(transport) if isinstance(transport, RunWeather) else transport,
        timeout=5,
    )


def recorded(report_dir: Path) -> list[dict[str, Any]]:
    """The entries of the engage recording."""
    har = json.loads(har_path(report_dir, "engage").read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = har["log"]["entries"]
    return found


def summary(entries: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return [
        (
            entry["request"]["method"],
            httpx.URL(entry["request"]["url"]).path,
            entry["response"]["status"],
        )
        for entry in entries
    ]


LIST = "/_rest/v2/campaigns"


def test_a_429_is_waited_out_as_retry_after_says_and_sent_again() -> None:
    vendor = Weather(stand_in_app(), rate=1, retry_after="0.4")
    weather = RunWeather()
    with serve_in_thread(vendor) as base_url:
        session = engage_session(base_url, weather)
        started = time.monotonic()
        answers = [session.request("listCampaigns").status_code for _ in range(2)]
        elapsed = time.monotonic() - started

    assert answers == [200, 200]
    assert vendor.throttled >= 1
    assert weather.retried == {AFTER_429: vendor.throttled}
    assert elapsed >= 0.4 * vendor.throttled


def test_a_long_retry_after_is_capped() -> None:
    vendor = Weather(stand_in_app(), rate=1, retry_after="120")
    weather = RunWeather(max_retry_after=0.2)
    with serve_in_thread(vendor) as base_url:
        session = engage_session(base_url, weather)
        started = time.monotonic()
        for _ in range(2):
            assert session.request("listCampaigns").status_code == 200
        elapsed = time.monotonic() - started

    assert vendor.throttled >= 1
    assert elapsed < 0.2 * vendor.throttled + 5


def test_a_dropped_get_is_sent_once_more_and_a_dropped_write_is_not() -> None:
    vendor = Weather(stand_in_app(), rate=1000, drop_every=1)
    weather = RunWeather()
    with serve_in_thread(vendor) as base_url:
        session = engage_session(base_url, weather)
        # Every GET is dropped: the one retry is dropped too, and the error stands.
        with pytest.raises(httpx.RemoteProtocolError):
            session.request("listCampaigns")
        assert weather.retried == {AFTER_DROP: 1}
        httpx.post(
            f"{base_url}/_sandbox/faults",
            json={"api": "engage", "operationId": "createCampaign", "drop": True},
        ).raise_for_status()
        with pytest.raises(httpx.RemoteProtocolError):
            session.request("createCampaign", body={"campaignName": "x"})

    assert weather.retried == {AFTER_DROP: 1}
    assert vendor.dropped == 2


def test_the_recording_holds_each_429_waited_out_then_the_answer(tmp_path: Path) -> None:
    vendor = Weather(stand_in_app(), rate=1, retry_after="0.2")
    weather = RunWeather()
    recording = RunRecording("engage", tmp_path, ENGAGE.auth_headers(CREDENTIALS), weather=weather)
    with serve_in_thread(vendor) as base_url:
        session = engage_session(base_url, recording.transport)
        answers = [session.request("listCampaigns").status_code for _ in range(2)]
        session.close()
    recording.close()

    assert answers == [200, 200]
    entries = recorded(tmp_path)
    assert vendor.throttled >= 1
    # In the order sent: the first answer, the 429s of the second request, its answer.
    assert summary(entries) == [
        ("GET", LIST, 200),
        *[("GET", LIST, 429)] * vendor.throttled,
        ("GET", LIST, 200),
    ]
    limited = entries[1]
    assert {"name": "retry-after", "value": "0.2"} in limited["response"]["headers"]
    assert json.loads(limited["response"]["content"]["text"])["status"] == 429
    started = [dt.datetime.fromisoformat(entry["startedDateTime"]) for entry in entries]
    assert started == sorted(started)
    # Sanitized as every entry: the token is its placeholder.
    assert {"name": "Authorization", "value": "<engage-token-1>"} in (limited["request"]["headers"])
    assert_no_secret_anywhere("", tmp_path)


def test_the_recording_holds_each_dropped_try_as_no_answer(tmp_path: Path) -> None:
    vendor = Weather(stand_in_app(), rate=1000, drop_every=1)
    weather = RunWeather()
    recording = RunRecording("engage", tmp_path, ENGAGE.auth_headers(CREDENTIALS), weather=weather)
    with serve_in_thread(vendor) as base_url:
        session = engage_session(base_url, recording.transport)
        with pytest.raises(httpx.RemoteProtocolError):
            session.request("listCampaigns")
        session.close()
    recording.close()

    entries = recorded(tmp_path)
    # The GET and its one retry, both dropped: two entries without an answer.
    assert summary(entries) == [("GET", LIST, 0), ("GET", LIST, 0)]
    for entry in entries:
        assert entry["comment"].startswith("no answer: RemoteProtocolError: "), entry
        assert entry["response"]["statusText"] == ""
        assert entry["response"]["content"]["size"] == 0
    assert_no_secret_anywhere("", tmp_path)


def test_schemathesis_requests_record_each_try_too(tmp_path: Path) -> None:
    vendor = Weather(stand_in_app(), rate=1, retry_after="0.6", drop_every=2)
    weather = RunWeather()
    headers = ENGAGE.auth_headers(CREDENTIALS)
    recording = RunRecording("engage", tmp_path, headers, weather=weather)
    with (
        serve_in_thread(vendor) as base_url,
        patched_requests(weather),
        requests.Session() as client,
    ):
        answers = [client.get(base_url + LIST, headers=headers).status_code for _ in range(2)]
    recording.close()

    assert answers == [200, 200]
    assert (vendor.throttled, vendor.dropped) >= (1, 1)
    entries = recorded(tmp_path)
    statuses = [status for _, _, status in summary(entries)]
    # GET 1 answered; GET 2 rate-limited, then dropped, sent once more, rate-limited again,
    # then answered: every try an entry, in order.
    assert statuses.count(429) == vendor.throttled
    assert statuses.count(0) == vendor.dropped
    assert statuses[0] == statuses[-1] == 200
    assert statuses.count(200) == 2
    # Each try timed alone, the retry's waits outside it.
    assert all(entry["time"] < 200 for entry in entries)
    assert weather.retried == {AFTER_429: vendor.throttled, AFTER_DROP: vendor.dropped}
    assert_no_secret_anywhere("", tmp_path)


def test_a_vendor_that_keeps_rate_limiting_is_not_verified_not_broken(
    live_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_in_thread(Weather(stand_in_app(), rate=0, retry_after="0")) as base_url:
        code = cli.main(["--base-url", base_url, "--api", "engage", *FAST])

    assert code == 2
    output = capsys.readouterr().out
    assert output.strip().splitlines()[-1] == (
        f"Contract NOT verified: engage: {base_url} is still answering 429 after 10 tries:"
        " a lower --rate-limit may help"
    )


@dataclass(frozen=True)
class Setting:
    api: str
    flags: list[str]
    rate: int
    retry_after: str
    latency_ms: int
    drop_every: int = 0
    slow_every: int = 0
    slow_ms: int = 0
    rewrite: Any = None


SETTINGS = {
    "read-only, 429 above 15/s": Setting("engage", [], rate=15, retry_after="1", latency_ms=20),
    "writes and sends, 429, drops, timeouts": Setting(
        "intelsend",
        ["--allow-writes", "--allow-send", "--request-timeout", "1"],
        rate=25,
        retry_after="0.5",
        latency_ms=30,
        drop_every=23,
        slow_every=37,
        slow_ms=1500,
    ),
    "a broken vendor, 429 and drops": Setting(
        "engage",
        ["--allow-writes"],
        rate=10,
        retry_after="1",
        latency_ms=30,
        drop_every=21,
        rewrite=wrong_field_type,
    ),
}


def live_run(
    live_env: Path, setting: Setting, capsys: pytest.CaptureFixture[str], *, weather: bool
) -> tuple[int, list[dict[str, Any]], list[str], str, Weather | None]:
    app = stand_in_app() if setting.rewrite is None else Tamper(stand_in_app(), setting.rewrite)
    vendor = None
    if weather:
        vendor = Weather(
            app,
            rate=setting.rate,
            retry_after=setting.retry_after,
            latency_ms=setting.latency_ms,
            drop_every=setting.drop_every,
            slow_every=setting.slow_every,
            slow_ms=setting.slow_ms,
        )
    with serve_in_thread(vendor or app) as base_url:
        code = cli.main(["--base-url", base_url, "--api", setting.api, *FAST, *setting.flags])
    output = capsys.readouterr().out
    report = (live_env / "reports/contract/findings.json").read_text()
    # What differs between any two runs: the run's name prefix and the stand-in's port; and
    # the curl samples, which carry generated ids. The rest must be the same.
    report = RUN_PREFIX.sub("contract-test-<run>-", report.replace(base_url, "<vendor>"))
    findings = [
        {key: value for key, value in finding.items() if key != "request"}
        for finding in json.loads(report)["findings"]
    ]
    rules = [line for line in output.splitlines() if re.match(r"rule \w+( \(\w+\))?:", line)]
    return code, findings, rules, output, vendor


@pytest.mark.slow
@pytest.mark.parametrize("setting", SETTINGS.values(), ids=SETTINGS.keys())
def test_weather_changes_nothing_in_the_verdict(
    live_env: Path, setting: Setting, capsys: pytest.CaptureFixture[str]
) -> None:
    calm_code, calm_findings, calm_rules, calm_output, _ = live_run(
        live_env, setting, capsys, weather=False
    )
    code, findings, rules, output, vendor = live_run(live_env, setting, capsys, weather=True)

    assert (code, findings, rules) == (calm_code, calm_findings, calm_rules), output
    assert calm_code == (1 if setting.rewrite else 0), calm_output
    assert "weather:" not in calm_output
    assert vendor is not None
    assert vendor.throttled > 0, "the run never met the vendor's rate limit"
    retried = re.search(r"^weather: (\d+) requests retried: (.*)$", output, re.MULTILINE)
    assert retried is not None, output
    reasons = {
        reason: int(count) for count, reason in re.findall(r"(\d+) after ([^,]+)", retried[2])
    }
    assert reasons[AFTER_429] == vendor.throttled
    assert reasons.get(AFTER_DROP, 0) == vendor.dropped
    assert reasons.get("a timeout", 0) == vendor.slowed
    report = (live_env / "reports/contract/summary.md").read_text()
    assert f"Weather: {retried[1]} requests retried" in report
    assert_every_try_recorded(live_env / "reports/contract", setting.api, vendor)
    assert_no_secret_anywhere(output, live_env)


def assert_every_try_recorded(report_dir: Path, api: str, vendor: Weather) -> None:
    """The run's recording holds each 429 and each dropped or timed-out try, each followed
    by the request sent again, to the last one, which got an answer."""
    har = json.loads(har_path(report_dir, api).read_text(encoding="utf-8"))
    entries = har["log"]["entries"]
    retried = [
        index for index, entry in enumerate(entries) if entry["response"]["status"] in (0, 429)
    ]
    statuses = [entries[index]["response"]["status"] for index in retried]
    assert statuses.count(429) == vendor.throttled
    # Dropped and timed out alike: no answer reached the run.
    assert statuses.count(0) == vendor.dropped + vendor.slowed
    for index in retried:
        entry = entries[index]
        if entry["response"]["status"] == 0:
            assert entry["comment"].startswith("no answer: "), entry

        def same(later: dict[str, Any], entry: dict[str, Any] = entry) -> bool:
            return all(
                later["request"].get(key) == entry["request"].get(key)
                for key in ("method", "url", "postData")
            )

        assert any(same(later) for later in entries[index + 1 :]), entry["request"]
    # Every request in the end got its answer (no try left without one).
    last = {}
    for entry in entries:
        request = entry["request"]
        last[request["method"], request["url"], json.dumps(request.get("postData"))] = entry
    assert all(entry["response"]["status"] not in (0, 429) for entry in last.values())
