"""The storage interface, the same for both implementations: memory and an SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_contracts.sandbox import storage as storage_module
from campaign_contracts.sandbox.storage import (
    NEWEST_FIRST,
    SETTINGS,
    MemoryStorage,
    Order,
    SqliteStorage,
    Storage,
)

KIND = "things"


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    with MemoryStorage() if request.param == "memory" else SqliteStorage(tmp_path / "s.db") as it:
        yield it


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqliteStorage]:
    with SqliteStorage(tmp_path / "s.db") as storage:
        yield storage


def names(records: list[dict[str, str]]) -> list[str]:
    return [record["name"] for record in records]


def test_records_keep_the_order_first_stored_and_pages_count_from_either_end(
    storage: Storage,
) -> None:
    for name in "abcde":
        storage.put(KIND, "t", name, {"name": name}, tag="odd" if name in "ace" else "even")
    storage.put(KIND, "t", "b", {"name": "b", "changed": "yes"}, tag="even")  # stays second
    assert names(storage.records(KIND, "t")) == list("abcde")
    assert storage.get(KIND, "t", "b") == {"name": "b", "changed": "yes"}
    assert names(storage.records(KIND, "t", order=Order(newest_first=True, offset=1, limit=2))) == [
        "d",
        "c",
    ]
    assert names(storage.records(KIND, "t", tag="odd", order=NEWEST_FIRST)) == ["e", "c", "a"]
    assert names(storage.records(KIND, "t", tag="odd", order=Order(offset=1, limit=1))) == ["c"]
    assert (storage.count(KIND, "t"), storage.count(KIND, "t", "odd")) == (5, 3)
    assert storage.records(KIND, "t", order=Order(offset=2**70, limit=2**70)) == []


def test_a_new_tag_moves_a_record_keeping_its_place(storage: Storage) -> None:
    for name in "abc":
        storage.put(KIND, "t", name, {"name": name}, tag="DRAFT")
    storage.put(KIND, "t", "c", {"name": "c"}, tag="BUILD")
    storage.put(KIND, "t", "a", {"name": "a"}, tag="BUILD")
    assert names(storage.records(KIND, "t", tag="BUILD")) == ["a", "c"]
    assert names(storage.records(KIND, "t", tag="DRAFT")) == ["b"]
    assert (storage.count(KIND, "t", "BUILD"), storage.count(KIND, "t", "DRAFT")) == (2, 1)


def test_tenants_delete_clear_find_and_trim(storage: Storage) -> None:
    storage.put(KIND, "t1", "x", {"name": "x"})
    storage.put(KIND, "t2", "y", {"name": "y"})
    assert sorted(storage.tenants(KIND)) == ["t1", "t2"]
    assert storage.find(KIND, "y") == ("t2", {"name": "y"})
    assert storage.find(KIND, "z") is None
    storage.delete(KIND, "t1", "x")
    assert storage.tenants(KIND) == ["t2"]
    assert storage.count(KIND) == 1
    for number in range(5):
        storage.add(KIND, "t2", {"name": str(number)})
    storage.trim(KIND, "t2", 2)
    assert names(storage.records(KIND, "t2")) == ["3", "4"]
    storage.clear(KIND, "t2")
    assert (storage.count(KIND), storage.records(KIND)) == (0, [])


def test_a_log_reads_newest_first_and_truncates_to_the_newest(storage: Storage) -> None:
    assert [storage.append("log", f'"{number}"') for number in range(5)] == [1, 2, 3, 4, 5]
    storage.append("other", '"elsewhere"')
    assert storage.latest("log", 3) == ['"4"', '"3"', '"2"']
    storage.truncate("log", 2)
    assert storage.latest("log", 10) == ['"4"', '"3"']
    storage.truncate("log", 0)
    assert storage.latest("log", 10) == []
    assert storage.latest("other", 10) == ['"elsewhere"']
    assert storage.records("log") == []  # logs are not kinds of records


def test_a_failed_transaction_of_the_file_leaves_nothing(
    sqlite: SqliteStorage, tmp_path: Path
) -> None:
    def half_done() -> None:
        with sqlite.transaction():
            sqlite.put(KIND, "t", "a", {"name": "a"})
            with sqlite.transaction():  # nested: joins the outer one
                sqlite.put(KIND, "t", "b", {"name": "b"})
            assert sqlite.count(KIND) == 2  # counted inside, forgotten with the rest
            raise RuntimeError("a sandbox bug half-way")

    with pytest.raises(RuntimeError):
        half_done()
    assert sqlite.count(KIND) == 0
    with SqliteStorage(tmp_path / "s.db") as reopened:
        assert reopened.records(KIND) == []


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["put", "delete", "clear", "trim"]),
        st.sampled_from(["t1", "t2"]),
        st.sampled_from("abcdef"),
        st.sampled_from(["DRAFT", "BUILD", "SENT"]),
    ),
    max_size=30,
)
QUERIES = [
    (tenant, tag, order)
    for tenant in ("t1", "t2", None)
    for tag in (None, "DRAFT", "BUILD")
    for order in (Order(), NEWEST_FIRST, Order(newest_first=True, offset=1, limit=2))
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_both_implementations_answer_alike(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, str, str, str]]
) -> None:
    both = [MemoryStorage(), SqliteStorage(tmp_path_factory.mktemp("s") / "s.db")]
    for storage in both:
        for number, (operation, tenant, key, tag) in enumerate(operations):
            if operation == "put":
                storage.put(KIND, tenant, key, {"name": key, "version": number}, tag)
            elif operation == "delete":
                storage.delete(KIND, tenant, key)
            elif operation == "clear":
                storage.clear(KIND, tenant)
            else:
                storage.trim(KIND, tenant, 2)
    memory, sqlite = (
        [
            (
                storage.records(KIND, tenant, tag=tag, order=order),
                storage.count(KIND, tenant, tag),
            )
            for tenant, tag, order in QUERIES
        ]
        + [sorted(storage.tenants(KIND))]
        for storage in both
    )
    assert memory == sqlite
    both[1].close()


def test_the_wal_starts_over_under_steady_writes_of_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a checkpoint that holds the writers up, the WAL grew by every write."""
    monkeypatch.setattr(storage_module, "CHECKPOINT_SECONDS", 0.05)
    monkeypatch.setattr(storage_module, "WAL_SIZE_LIMIT", 256 * 1024)
    record = {"text": "x" * 2000}
    written = [0, 0]
    wal_sizes = [0]
    wal = tmp_path / "s.db-wal"

    def write(number: int) -> None:
        with SqliteStorage(tmp_path / "s.db") as storage:
            deadline = time.monotonic() + 2.0
            while time.monotonic() < deadline:
                storage.add(KIND, "t", record)
                written[number] += 1
                time.sleep(0.0005)  # what a sandbox does between turns: serve requests
                if written[number] % 100 == 0:
                    wal_sizes.append(wal.stat().st_size)

    writers = [threading.Thread(target=write, args=(number,)) for number in range(2)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    assert min(written) > 200, written  # enough to grow the WAL far past the limit
    # Without: about 12 KiB a write (some 40 MiB); with, a few MiB however long it runs.
    assert max(wal_sizes) <= 32 * 1024 * 1024, (written, max(wal_sizes))


def _put(storage: Storage, name: str) -> str:
    storage.put(KIND, "t", name, {"name": name})
    return name


def _half_done(storage: Storage) -> None:
    storage.put(KIND, "t", "half", {"name": "half"})
    raise RuntimeError("a sandbox bug half-way")


def test_changes_run_once_each_and_one_failing_half_way_is_undone_alone(
    sqlite: SqliteStorage, tmp_path: Path
) -> None:
    runs: list[str] = []

    def put(name: str) -> str:
        runs.append(name)
        return _put(sqlite, name)

    async def requests() -> tuple[object, ...]:
        answers = await asyncio.gather(
            sqlite.change(lambda: put("a")),
            sqlite.change(lambda: _half_done(sqlite)),
            sqlite.change(lambda: put("b")),
            return_exceptions=True,
        )
        # Committed once change() has returned: an answer sent now is durable.
        with SqliteStorage(tmp_path / "s.db") as elsewhere:  # another process's view
            assert names(elsewhere.records(KIND)) == ["a", "b"]
        return tuple(answers)

    a, failed, b = asyncio.run(requests())
    assert (a, b, runs) == ("a", "b", ["a", "b"])
    assert isinstance(failed, RuntimeError)


def test_changes_of_one_turn_of_the_loop_share_one_commit(sqlite: SqliteStorage) -> None:
    statements: list[str] = []
    sqlite._db.set_trace_callback(statements.append)

    async def requests() -> list[str]:
        return list(await asyncio.gather(*(sqlite.change(partial(_put, sqlite, n)) for n in "abc")))

    assert asyncio.run(requests()) == ["a", "b", "c"]
    assert statements.count("COMMIT") == 1


# What another sandbox process does while it writes.
HOLD_THE_WRITE_LOCK = """
import fcntl, sqlite3, sys
queue = open(sys.argv[1] + ".lock", "a")
fcntl.flock(queue, fcntl.LOCK_EX)
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
"""


def test_changes_wait_for_another_process_without_holding_up_the_loop(
    sqlite: SqliteStorage, tmp_path: Path
) -> None:
    sqlite.put(KIND, "t", "before", {"name": "before"})
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(tmp_path / "s.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    stdin, stdout = other.stdin, other.stdout
    assert stdin is not None
    assert stdout is not None
    assert stdout.readline() == "holding\n"

    async def requests() -> tuple[list[str], int]:
        first = asyncio.ensure_future(sqlite.change(lambda: _put(sqlite, "a")))
        turns = 0
        for _ in range(20):  # the loop keeps turning while the other process writes
            await asyncio.sleep(0.005)
            turns += 1
        assert not first.done()
        assert names(sqlite.records(KIND)) == ["before"]  # reads go on too
        assert sqlite.count(KIND, "t") == 1
        second = asyncio.ensure_future(sqlite.change(lambda: _put(sqlite, "b")))
        await asyncio.sleep(0.005)
        stdin.write("done\n")
        stdin.flush()
        return list(await asyncio.gather(first, second)), turns

    try:
        applied, turns = asyncio.run(requests())
    finally:
        stdin.close()
        other.wait(10)
    assert (applied, turns) == (["a", "b"], 20)
    assert names(sqlite.records(KIND)) == ["before", "a", "b"]


def test_a_change_answers_what_it_returns_or_raises(storage: Storage) -> None:
    assert asyncio.run(storage.change(lambda: _put(storage, "a"))) == "a"
    with pytest.raises(RuntimeError, match="half-way"):
        asyncio.run(storage.change(lambda: _half_done(storage)))
    assert storage.get(KIND, "t", "a") == {"name": "a"}


def test_reads_see_what_other_processes_commit_at_once(tmp_path: Path) -> None:
    with SqliteStorage(tmp_path / "s.db") as ours, SqliteStorage(tmp_path / "s.db") as theirs:

        async def request() -> tuple[int, int, object]:
            before = ours.count(KIND, "t")
            theirs.put(KIND, "t", "a", {"name": "a"})
            theirs.set_value("api", "seed", 2)
            return before, ours.count(KIND, "t"), ours.value("api", "seed")

        assert asyncio.run(request()) == (0, 1, 2)
        ours.put(KIND, "t", "b", {"name": "b"})
        assert ours.count(KIND, "t") == theirs.count(KIND, "t") == 2
        theirs.clear(KIND, "t")
        assert ours.count(KIND, "t") == 0


def test_a_transaction_sees_what_other_processes_committed_before_it(tmp_path: Path) -> None:
    with SqliteStorage(tmp_path / "s.db") as ours, SqliteStorage(tmp_path / "s.db") as theirs:
        ours.set_value("api", "seed", 1)
        theirs.set_value("api", "seed", 2)
        with ours.transaction():
            assert (ours.value("api", "seed"), ours.count(SETTINGS, "api")) == (2, 1)


def _set_then_fail(storage: Storage) -> None:
    storage.set_value("api", "seed", 4)
    assert storage.value("api", "seed") == 4
    raise RuntimeError("a sandbox bug half-way")


def test_a_value_set_by_a_failed_change_is_forgotten(sqlite: SqliteStorage) -> None:
    sqlite.set_value("api", "seed", 3)
    with pytest.raises(RuntimeError, match="half-way"):
        asyncio.run(sqlite.change(lambda: _set_then_fail(sqlite)))
    assert sqlite.value("api", "seed") == 3


def _open_files(path: Path) -> list[str]:
    """This process's open files whose names start with `path` (the file, its WAL, ...)."""
    links = (str(fd.readlink()) for fd in Path("/proc/self/fd").iterdir() if fd.exists())
    return [link for link in links if link.startswith(str(path))]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_close_leaves_no_file_open_and_no_thread_running(kind: str, tmp_path: Path) -> None:
    threads = set(threading.enumerate())
    path = tmp_path / "s.db"
    storage = MemoryStorage() if kind == "memory" else SqliteStorage(path)
    with storage:
        asyncio.run(storage.change(lambda: _put(storage, "a")))
        with storage.transaction():
            storage.append("log", '"entry"')
        assert storage.count(KIND) == 1
        if kind == "sqlite":
            assert _open_files(path)  # what the check below would find
            assert set(threading.enumerate()) > threads
    assert _open_files(path) == []
    assert set(threading.enumerate()) <= threads
    storage.close()  # twice is harmless


def test_a_closed_file_says_so(sqlite: SqliteStorage) -> None:
    sqlite.close()
    with pytest.raises((ValueError, sqlite3.ProgrammingError), match="closed"):
        asyncio.run(sqlite.change(lambda: None))
