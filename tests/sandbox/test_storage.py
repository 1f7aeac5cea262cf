"""The storage interface, the same for both implementations: memory and an SQLite file."""

from __future__ import annotations

import asyncio
import fcntl
import time
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
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    return MemoryStorage() if request.param == "memory" else SqliteStorage(tmp_path / "s.db")


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
    for number in range(5):
        storage.append("log", f'"{number}"')
    storage.append("other", '"elsewhere"')
    assert storage.latest("log", 3) == ['"4"', '"3"', '"2"']
    storage.truncate("log", 2)
    assert storage.latest("log", 10) == ['"4"', '"3"']
    storage.truncate("log", 0)
    assert storage.latest("log", 10) == []
    assert storage.latest("other", 10) == ['"elsewhere"']
    assert storage.records("log") == []  # logs are not kinds of records


def test_a_failed_transaction_of_the_file_leaves_nothing(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "s.db")

    def half_done() -> None:
        with storage.transaction():
            storage.put(KIND, "t", "a", {"name": "a"})
            with storage.transaction():  # nested: joins the outer one
                storage.put(KIND, "t", "b", {"name": "b"})
            assert storage.count(KIND) == 2  # counted inside, forgotten with the rest
            raise RuntimeError("a sandbox bug half-way")

    with pytest.raises(RuntimeError):
        half_done()
    assert storage.count(KIND) == 0
    assert SqliteStorage(tmp_path / "s.db").records(KIND) == []


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


def test_the_wal_starts_over_under_steady_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the checkpoint taking the writers' queue, the WAL grew by every write."""
    monkeypatch.setattr(storage_module, "CHECKPOINT_SECONDS", 0.05)
    monkeypatch.setattr(storage_module, "WAL_SIZE_LIMIT", 256 * 1024)
    storage = SqliteStorage(tmp_path / "s.db")
    wal = tmp_path / "s.db-wal"
    record = {"text": "x" * 2000}
    written = 0
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        with storage.transaction():
            storage.add(KIND, "t", record)
        written += 1
    assert written > 1000  # enough to have grown the WAL far past the limit
    # Without: about 36 KiB a write (some 300 MiB); with: a few MiB, however long it runs.
    assert wal.stat().st_size <= 32 * 1024 * 1024, (written, wal.stat().st_size)


def _put(storage: Storage, name: str) -> str:
    storage.put(KIND, "t", name, {"name": name})
    return name


def _half_done(storage: Storage) -> None:
    storage.put(KIND, "t", "half", {"name": "half"})
    raise RuntimeError("a sandbox bug half-way")


def test_changes_of_one_turn_share_one_commit_and_fail_alone(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "s.db")
    elsewhere = SqliteStorage(tmp_path / "s.db")  # another process's view of the file
    statements: list[str] = []
    storage._db.set_trace_callback(statements.append)

    async def requests() -> tuple[object, ...]:
        answers = await asyncio.gather(
            storage.change(lambda: _put(storage, "a")),
            storage.change(lambda: _half_done(storage)),
            storage.change(lambda: _put(storage, "b")),
            return_exceptions=True,
        )
        # Committed once change() has returned: an answer sent now is durable.
        assert names(elsewhere.records(KIND)) == ["a", "b"]
        return answers

    a, failed, b = asyncio.run(requests())
    assert (a, b) == ("a", "b")
    assert isinstance(failed, RuntimeError)
    assert statements.count("COMMIT") == 1
    assert names(SqliteStorage(tmp_path / "s.db").records(KIND)) == ["a", "b"]


def test_a_change_that_fails_having_changed_nothing_costs_no_undoing(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "s.db")
    statements: list[str] = []
    storage._db.set_trace_callback(statements.append)
    runs: list[str] = []

    def refused() -> None:
        runs.append("refused")
        storage.get(KIND, "t", "a")
        raise LookupError("a 404")

    async def requests() -> tuple[object, ...]:
        return await asyncio.gather(
            storage.change(lambda: _put(storage, "a")),
            storage.change(refused),
            storage.change(lambda: _put(storage, "b")),
            return_exceptions=True,
        )

    a, failed, b = asyncio.run(requests())
    assert (a, b, runs) == ("a", "b", ["refused"])
    assert isinstance(failed, LookupError)
    assert not [s for s in statements if s.startswith(("SAVEPOINT", "ROLLBACK"))]
    assert names(storage.records(KIND)) == ["a", "b"]


def test_a_change_failing_half_way_has_its_turn_applied_again_undoing_it_alone(
    tmp_path: Path,
) -> None:
    storage = SqliteStorage(tmp_path / "s.db")
    runs: list[str] = []

    def put(name: str) -> str:
        runs.append(name)
        return _put(storage, name)

    async def requests() -> tuple[object, ...]:
        return await asyncio.gather(
            storage.change(lambda: put("a")),
            storage.change(lambda: _half_done(storage)),
            storage.change(lambda: put("b")),
            return_exceptions=True,
        )

    a, failed, b = asyncio.run(requests())
    assert (a, b) == ("a", "b")
    assert isinstance(failed, RuntimeError)
    assert runs == ["a", "a", "b"]  # up to the failure, then all again with savepoints
    assert names(storage.records(KIND)) == ["a", "b"]


def test_changes_wait_for_another_writer_without_holding_up_the_loop(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "s.db")
    other_process = (tmp_path / "s.db.lock").open("a")
    fcntl.flock(other_process, fcntl.LOCK_EX)

    async def requests() -> tuple[list[str], int]:
        loop = asyncio.get_running_loop()
        first = loop.create_task(storage.change(lambda: _put(storage, "a")))
        turns = 0
        for _ in range(20):  # the loop keeps turning while the other process writes
            await asyncio.sleep(0.005)
            turns += 1
        assert not first.done()
        assert storage.records(KIND) == []  # reads go on too
        second = loop.create_task(storage.change(lambda: _put(storage, "b")))
        await asyncio.sleep(0.005)
        fcntl.flock(other_process, fcntl.LOCK_UN)
        return list(await asyncio.gather(first, second)), turns

    applied, turns = asyncio.run(requests())
    assert applied == ["a", "b"]
    assert turns == 20
    assert names(storage.records(KIND)) == ["a", "b"]


def test_a_change_answers_what_it_returns_or_raises(storage: Storage) -> None:
    assert asyncio.run(storage.change(lambda: _put(storage, "a"))) == "a"
    with pytest.raises(RuntimeError, match="half-way"):
        asyncio.run(storage.change(lambda: _half_done(storage)))
    assert storage.get(KIND, "t", "a") == {"name": "a"}


def test_counts_follow_what_other_processes_commit(tmp_path: Path) -> None:
    ours, theirs = SqliteStorage(tmp_path / "s.db"), SqliteStorage(tmp_path / "s.db")
    assert ours.count(KIND, "t") == 0
    theirs.put(KIND, "t", "a", {"name": "a"})
    assert ours.count(KIND, "t") == 1
    ours.put(KIND, "t", "b", {"name": "b"})
    assert ours.count(KIND, "t") == theirs.count(KIND, "t") == 2
    theirs.clear(KIND, "t")
    assert ours.count(KIND, "t") == 0


def test_in_an_event_loop_counts_look_at_other_processes_once_a_turn(tmp_path: Path) -> None:
    ours, theirs = SqliteStorage(tmp_path / "s.db"), SqliteStorage(tmp_path / "s.db")
    statements: list[str] = []
    ours._db.set_trace_callback(statements.append)

    async def requests() -> tuple[int, int, int]:
        before = ours.count(KIND, "t")
        theirs.put(KIND, "t", "a", {"name": "a"})
        # A request served in this turn arrived before the other process committed.
        same_turn = ours.count(KIND, "t")
        await asyncio.sleep(0)
        return before, same_turn, ours.count(KIND, "t")

    assert asyncio.run(requests()) == (0, 0, 1)
    assert statements.count("PRAGMA data_version") == 2


def test_a_transaction_sees_what_other_processes_committed_before_it(tmp_path: Path) -> None:
    ours, theirs = SqliteStorage(tmp_path / "s.db"), SqliteStorage(tmp_path / "s.db")

    async def request() -> tuple[object, object]:
        ours.set_value("api", "seed", 1)
        assert ours.value("api", "seed") == 1
        theirs.set_value("api", "seed", 2)  # committed between two turns' changes, say
        with ours.transaction():
            return ours.value("api", "seed"), ours.count(SETTINGS, "api")

    assert asyncio.run(request()) == (2, 1)


def _set_then_fail(storage: Storage) -> None:
    storage.set_value("api", "seed", 4)
    assert storage.value("api", "seed") == 4
    raise RuntimeError("a sandbox bug half-way")


def test_values_are_read_once_until_something_changes_them(tmp_path: Path) -> None:
    storage, theirs = SqliteStorage(tmp_path / "s.db"), SqliteStorage(tmp_path / "s.db")
    statements: list[str] = []
    storage._db.set_trace_callback(statements.append)
    with storage.transaction():
        assert storage.value("api", "seed", "none") == "none"
        assert storage.value("api", "seed", "none") == "none"
        storage.set_value("api", "seed", 3)
        assert storage.value("api", "seed") == 3
    reads = [statement for statement in statements if statement.startswith("SELECT record")]
    assert len(reads) == 2
    with pytest.raises(RuntimeError, match="half-way"):
        asyncio.run(storage.change(lambda: _set_then_fail(storage)))
    assert storage.value("api", "seed") == 3
    theirs.set_value("api", "seed", 5)
    assert storage.value("api", "seed") == 5
