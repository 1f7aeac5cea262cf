"""Where the sandbox keeps its state: one interface, in memory (the default) or in SQLite.

Everything the sandbox remembers is a record (a JSON object) of some kind (`engage.campaigns`,
`faults`, `journal`, ...), owned by a tenant, found by its key, and kept in the order it was
first stored; a record also carries a tag (a campaign's status, a fault's operationId) that
pages can filter on. A new kind of state is a new kind name, not a new table or method. A log
(the request journal) is the one other shape: JSON texts appended and read newest first, with
no key, tag or count to keep up, since every request appends one.

Pages and counts never walk a tenant's whole history: the newest records come first without
looking at the older ones, a tag's records are indexed, and counts are kept as records come
and go. A caller groups the reads and writes of one state change in `transaction()`; it must
not await inside one (a coroutine switch would let another request into it). A request served
in an event loop hands its state change to `change()` instead, which may commit it together
with the other requests' changes of the same turn of the loop.
"""

from __future__ import annotations

import asyncio
import bisect
import fcntl
import json
import secrets
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from asyncio import AbstractEventLoop, Future
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import IO, Any, TypeVar

from campaign_contracts.httpapi.encoding import encode_json

Record = dict[str, Any]
T = TypeVar("T")
# A queued change's future, and what the change returned or raised.
Outcome = tuple[Future[Any], Any, Exception | None]

SETTINGS = "settings"
MAX_INDEX = 2**63 - 1  # SQLite's largest integer, and sys.maxsize on 64-bit machines


@dataclass(frozen=True)
class Order:
    """Which records, in which order: `limit` of them (None: all) after skipping `offset`."""

    newest_first: bool = False
    offset: int = 0
    limit: int | None = None

    def __post_init__(self) -> None:
        # A page number the document allows can be far past any int SQLite or islice takes.
        object.__setattr__(self, "offset", min(self.offset, MAX_INDEX))
        if self.limit is not None:
            object.__setattr__(self, "limit", min(self.limit, MAX_INDEX))


OLDEST_FIRST = Order()
NEWEST_FIRST = Order(newest_first=True)


class Storage(ABC):
    """The sandbox's state, whichever implementation holds it."""

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One state change (or a read of one consistent state): all of it or none of it,
        and in some order with every other. Nested transactions join the outer one."""
        yield

    async def change(self, apply: Callable[[], T]) -> T:
        """`apply()` as one state change, committed when this returns (so an answer sent
        after it is durable); what it raises, having changed nothing. `apply` changes
        nothing but the storage: it may run again when another change fails half-way."""
        with self.transaction():
            return apply()

    @abstractmethod
    def get(self, kind: str, tenant: str, key: str) -> Record | None: ...

    def find(self, kind: str, key: str) -> tuple[str, Record] | None:
        """The record with this key of any tenant, and its tenant (for the control plane)."""
        # A look in each tenant's records: tenants are few, and an index of every key of
        # every tenant would cost each write another page.
        for tenant in self.tenants(kind):
            record = self.get(kind, tenant, key)
            if record is not None:
                return tenant, record
        return None

    @abstractmethod
    def put(self, kind: str, tenant: str, key: str, record: Record, tag: str = "") -> None:
        """Store a new record last, or replace one where it stands (its order is kept)."""

    @abstractmethod
    def add(self, kind: str, tenant: str, record: Record, tag: str = "") -> str:
        """Store a new record last under a key of the storage's choosing; that key."""

    @abstractmethod
    def delete(self, kind: str, tenant: str, key: str) -> None: ...

    @abstractmethod
    def count(self, kind: str, tenant: str | None = None, tag: str | None = None) -> int:
        """How many records of the kind (of the tenant, with the tag) there are."""

    @abstractmethod
    def records(
        self,
        kind: str,
        tenant: str | None = None,
        *,
        tag: str | None = None,
        order: Order = OLDEST_FIRST,
    ) -> list[Record]:
        """Records (of the tenant, with the tag) in `order`; the time it takes grows with the
        order's offset + limit, not with the total."""

    @abstractmethod
    def tenants(self, kind: str) -> list[str]:
        """The tenants that have records of the kind."""

    @abstractmethod
    def clear(self, kind: str, tenant: str | None = None) -> None:
        """Forget the records of the kind (of the tenant)."""

    @abstractmethod
    def trim(self, kind: str, tenant: str, keep: int) -> None:
        """Forget the oldest records of the kind and tenant beyond the newest `keep`."""

    @abstractmethod
    def append(self, log: str, entry: str) -> None:
        """Add an entry (a JSON text) at the end of a log."""

    @abstractmethod
    def latest(self, log: str, limit: int) -> list[str]:
        """The newest `limit` entries of a log, newest first."""

    @abstractmethod
    def truncate(self, log: str, keep: int) -> None:
        """Forget a log's entries but the newest `keep`."""

    def value(self, tenant: str, name: str, default: Any = None) -> Any:
        """A setting (a quirk, a seed, a counter) of `tenant` (an API's name)."""
        record = self.get(SETTINGS, tenant, name)
        return default if record is None else record["value"]

    def set_value(self, tenant: str, name: str, value: Any) -> None:
        self.put(SETTINGS, tenant, name, {"value": value})


class _Bucket:
    """One kind's records of one tenant, in order, with each tag's sequence numbers sorted."""

    __slots__ = ("by_seq", "records", "tags")

    def __init__(self) -> None:
        self.records: dict[str, tuple[int, str, Record]] = {}  # key → (seq, tag, record)
        self.by_seq: dict[int, str] = {}
        self.tags: dict[str, list[int]] = {}


class MemoryStorage(Storage):
    """State in this process's memory, gone when it ends.

    A request's state change runs without yielding to the event loop, so it is atomic with
    respect to every other request without any lock; there is no rollback (nothing fails
    half-way but a sandbox bug).
    """

    def __init__(self) -> None:
        self._kinds: dict[str, dict[str, _Bucket]] = {}
        self._seq = 0
        self._logs: dict[str, deque[str]] = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def _bucket(self, kind: str, tenant: str) -> _Bucket | None:
        return self._kinds.get(kind, {}).get(tenant)

    def get(self, kind: str, tenant: str, key: str) -> Record | None:
        bucket = self._bucket(kind, tenant)
        entry = bucket.records.get(key) if bucket else None
        return entry[2] if entry else None

    def put(self, kind: str, tenant: str, key: str, record: Record, tag: str = "") -> None:
        bucket = self._kinds.setdefault(kind, {}).setdefault(tenant, _Bucket())
        old = bucket.records.get(key)
        if old is None:
            self._seq += 1
            seq = self._seq
            bucket.by_seq[seq] = key
            # The newest sequence number: an append, no list move.
            bucket.tags.setdefault(tag, []).append(seq)
        else:
            seq, old_tag, _ = old
            if old_tag != tag:
                self._untag(bucket, old_tag, seq)
                bisect.insort(bucket.tags.setdefault(tag, []), seq)
        bucket.records[key] = (seq, tag, record)

    def add(self, kind: str, tenant: str, record: Record, tag: str = "") -> str:
        key = str(self._seq + 1)
        self.put(kind, tenant, key, record, tag)
        return key

    @staticmethod
    def _untag(bucket: _Bucket, tag: str, seq: int) -> None:
        seqs = bucket.tags[tag]
        del seqs[bisect.bisect_left(seqs, seq)]
        if not seqs:
            del bucket.tags[tag]

    def delete(self, kind: str, tenant: str, key: str) -> None:
        bucket = self._bucket(kind, tenant)
        entry = bucket.records.pop(key, None) if bucket else None
        if bucket is None or entry is None:
            return
        seq, tag, _ = entry
        del bucket.by_seq[seq]
        self._untag(bucket, tag, seq)
        if not bucket.records:
            del self._kinds[kind][tenant]

    def count(self, kind: str, tenant: str | None = None, tag: str | None = None) -> int:
        buckets = self._buckets(kind, tenant)
        if tag is None:
            return sum(len(bucket.records) for bucket in buckets)
        return sum(len(bucket.tags.get(tag, ())) for bucket in buckets)

    def _buckets(self, kind: str, tenant: str | None) -> list[_Bucket]:
        if tenant is None:
            return list(self._kinds.get(kind, {}).values())
        bucket = self._bucket(kind, tenant)
        return [bucket] if bucket else []

    def records(
        self,
        kind: str,
        tenant: str | None = None,
        *,
        tag: str | None = None,
        order: Order = OLDEST_FIRST,
    ) -> list[Record]:
        newest_first, offset, limit = order.newest_first, order.offset, order.limit
        stop = None if limit is None else min(offset + limit, MAX_INDEX)
        buckets = self._buckets(kind, tenant)
        if len(buckets) == 1 and tag is None:
            entries = buckets[0].records.values()
            ordered = reversed(entries) if newest_first else iter(entries)
            return [record for _, _, record in islice(ordered, offset, stop)]
        if len(buckets) == 1 and tag is not None:
            bucket = buckets[0]
            seqs = bucket.tags.get(tag, [])
            if newest_first:
                end = max(0, len(seqs) - offset)
                chosen = seqs[0 if limit is None else max(0, end - limit) : end][::-1]
            else:
                chosen = seqs[offset:stop]
            return [bucket.records[bucket.by_seq[seq]][2] for seq in chosen]
        # Across tenants (faults, the inspector): few records, sorted here.
        merged = sorted(
            (seq, record)
            for bucket in buckets
            for seq, record_tag, record in bucket.records.values()
            if tag in (None, record_tag)
        )
        if newest_first:
            merged.reverse()
        return [record for _, record in merged[offset:stop]]

    def tenants(self, kind: str) -> list[str]:
        return list(self._kinds.get(kind, {}))

    def clear(self, kind: str, tenant: str | None = None) -> None:
        if tenant is None:
            self._kinds.pop(kind, None)
        else:
            self._kinds.get(kind, {}).pop(tenant, None)

    def trim(self, kind: str, tenant: str, keep: int) -> None:
        bucket = self._bucket(kind, tenant)
        while bucket is not None and len(bucket.records) > keep:
            self.delete(kind, tenant, next(iter(bucket.records)))
            bucket = self._bucket(kind, tenant)

    def append(self, log: str, entry: str) -> None:
        self._logs.setdefault(log, deque()).append(entry)

    def latest(self, log: str, limit: int) -> list[str]:
        return list(islice(reversed(self._logs.get(log, ())), limit))

    def truncate(self, log: str, keep: int) -> None:
        entries = self._logs.get(log, deque())
        while len(entries) > keep:
            entries.popleft()


SCHEMA = """
-- No AUTOINCREMENT: it writes one more page (sqlite_sequence) in every transaction that adds a
-- row, and a rowid one past the newest keeps the order just as well.
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    tenant TEXT NOT NULL,
    key TEXT NOT NULL,
    tag TEXT NOT NULL,
    record TEXT NOT NULL,
    UNIQUE (kind, tenant, key)
);
CREATE INDEX IF NOT EXISTS items_in_order ON items (kind, tenant, seq);
CREATE INDEX IF NOT EXISTS items_by_tag ON items (kind, tenant, tag, seq);
-- Gone: an index of every key for find() cost each write another page.
DROP INDEX IF EXISTS items_by_key;
-- Kept by the triggers: SQLite's count(*) walks every row it counts.
CREATE TABLE IF NOT EXISTS counts (
    kind TEXT NOT NULL,
    tenant TEXT NOT NULL,
    tag TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, tenant, tag)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS count_insert AFTER INSERT ON items BEGIN
    INSERT INTO counts VALUES (new.kind, new.tenant, new.tag, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS count_delete AFTER DELETE ON items BEGIN
    UPDATE counts SET n = n - 1
    WHERE kind = old.kind AND tenant = old.tenant AND tag = old.tag;
END;
CREATE TRIGGER IF NOT EXISTS count_retag AFTER UPDATE OF tag ON items
WHEN old.tag <> new.tag BEGIN
    UPDATE counts SET n = n - 1
    WHERE kind = old.kind AND tenant = old.tenant AND tag = old.tag;
    INSERT INTO counts VALUES (new.kind, new.tenant, new.tag, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- Logs: appended on every request, so one row and nothing else to update.
CREATE TABLE IF NOT EXISTS logs (
    seq INTEGER PRIMARY KEY,
    log TEXT NOT NULL,
    entry TEXT NOT NULL
);
"""
BUSY_TIMEOUT_MS = 10_000
CHECKPOINT_SECONDS = 1.0
# Beside the writers, a checkpoint copies the WAL this many times at most, until what is left
# is at most this many frames (pages) for the last copy, which writers wait for.
CHECKPOINT_PASSES = 8
FRAMES_COPIED_WHILE_WRITERS_WAIT = 64
WAL_SIZE_LIMIT = 64 * 1024 * 1024


class _HalfDone(Exception):
    """A change raised having changed something: its turn is applied again, with savepoints."""


class StateFileError(Exception):
    """The --state file cannot be opened or is not the sandbox's."""


class SqliteStorage(Storage):
    """State in an SQLite file (WAL mode) that any number of sandbox processes share.

    Each transaction takes the write lock at its start (BEGIN IMMEDIATE), so state changes of
    all processes happen one after the other, each seeing the one before; it is committed
    before its answer is sent. A commit costs more than most changes (it writes every page
    they touched to the WAL), so the changes a process's requests hand to `change()` in one
    turn of its event loop are applied together at the end of that turn, in one transaction
    (a change that fails is undone alone): the write lock is held for the changes alone, not
    for the loop's other work, and one commit serves them all.

    synchronous=NORMAL: in WAL mode a commit survives the process being killed (what a
    sandbox meets), though not the machine losing power, and the file is never corrupted. Its
    one fsync, when the WAL is copied into the database (a checkpoint), happens in a thread of
    its own every second rather than in whichever request would otherwise fill the WAL: an
    fsync on a busy disk can take a good part of a second.
    """

    def __init__(self, path: Path) -> None:
        # The uvicorn thread and a test's thread may share one storage; transactions nest.
        self._lock = threading.RLock()
        self._depth = 0
        self._file_locks = 0
        # What count() and value() answered, by kind, then by question, as of the file's
        # data_version: every request asks whether a fault is pending, and every create
        # reads its API's seed.
        self._known: dict[str, dict[tuple[str | None, ...], Any]] = {}
        self._known_version = -1
        # The event loop in whose current turn data_version was looked at, outside a
        # transaction.
        self._looked_in: AbstractEventLoop | None = None
        # The changes waiting for the end of the turn of each event loop using this storage.
        self._queued: dict[AbstractEventLoop, list[tuple[Callable[[], Any], Future[Any]]]] = {}
        try:
            # Processes queue for the write lock on this file: SQLite's own busy wait polls
            # with sleeps of up to 100 ms, this one wakes as soon as the lock is free.
            self._queue = Path(f"{path}.lock").open("a")  # noqa: SIM115 (open while in use)
        except OSError as error:
            raise StateFileError(f"cannot use {path} as the state file: {error}") from error
        try:
            self._db = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1e3
            )
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA wal_autocheckpoint = 0")
            # Once it starts over, the WAL file is cut back to this size.
            self._db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
            # One transaction: processes starting together create the schema once.
            self._db.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\nCOMMIT;")
            checkpoints = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            raise StateFileError(f"cannot use {path} as the state file: {error}") from error
        # A queue place of its own: flock excludes other open files, not other threads.
        checkpoint_queue = Path(f"{path}.lock").open("a")  # noqa: SIM115 (open while in use)
        threading.Thread(
            target=_checkpoint_forever, args=(checkpoints, checkpoint_queue), daemon=True
        ).start()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._lock_file()
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._depth = 1
                try:
                    self._forget_if_changed()
                    yield
                except BaseException:
                    self._db.execute("ROLLBACK")
                    self._known.clear()
                    raise
                else:
                    self._db.execute("COMMIT")
                finally:
                    self._depth = 0
            finally:
                self._unlock_file()

    # The lock file queues the processes' writers (SQLite's own lock keeps them apart); this
    # process holds it while `_file_locks` > 0, for its loop's queued changes or a transaction.
    def _lock_file(self, blocking: bool = True) -> bool:
        """Take the lock file (or count one more use of it held); False if it is held by
        another process and not `blocking`."""
        with self._lock:
            if not self._file_locks:
                try:
                    fcntl.flock(self._queue, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
                except BlockingIOError:
                    return False
            self._file_locks += 1
            return True

    def _unlock_file(self) -> None:
        with self._lock:
            self._file_locks -= 1
            if not self._file_locks:
                fcntl.flock(self._queue, fcntl.LOCK_UN)

    async def change(self, apply: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        queued = self._queued.get(loop)
        if queued is None:
            queued = self._queued[loop] = []
            loop.call_soon(self._apply_queued, loop)
        future: Future[T] = loop.create_future()
        queued.append((apply, future))
        result: T = await future
        return result

    def _apply_queued(self, loop: AbstractEventLoop) -> None:
        """Apply the changes queued in this turn of `loop` in one transaction, and answer
        each with its result or what it raised. While another process writes, the loop
        goes on serving requests, whose changes join the queue, and a thread waits for the
        lock file."""
        if self._lock_file(blocking=False):
            self._apply_queued_locked(loop)
        else:
            waiting = loop.run_in_executor(None, self._wait_for_lock_file)
            waiting.add_done_callback(lambda done: self._apply_queued_locked(loop, done))

    def _wait_for_lock_file(self) -> None:
        # Not under self._lock: this process's reads go on meanwhile.
        fcntl.flock(self._queue, fcntl.LOCK_EX)
        with self._lock:
            self._file_locks += 1

    def _apply_queued_locked(
        self, loop: AbstractEventLoop, waiting: Future[None] | None = None
    ) -> None:
        queued = [(apply, future) for apply, future in self._queued.pop(loop) if not future.done()]
        failure = None if waiting is None else waiting.exception()
        if isinstance(failure, Exception):  # the lock file could not be taken: nothing happened
            outcomes: list[Outcome] = [(future, None, failure) for _, future in queued]
        else:
            try:
                outcomes = self._apply_together(queued)
            finally:
                self._unlock_file()
        # None of them can have been cancelled since the filter above: this runs in the loop.
        for future, result, error in outcomes:
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)

    def _apply_together(self, queued: list[tuple[Callable[[], Any], Future[Any]]]) -> list[Outcome]:
        """The changes in one transaction; what each returned or raised.

        Most changes that raise (a 404, a 409) have changed nothing, and need no undoing. A
        savepoint around each would cost every change two statements, so the changes run
        without: should one raise having changed something (a sandbox bug half-way), the
        transaction is rolled back and the turn applied again, each change in a savepoint."""
        try:
            with self.transaction():
                return self._apply_each(queued, savepoints=False)
        except _HalfDone:
            pass
        except Exception as error:  # the commit failed: none of them happened
            return [(future, None, error) for _, future in queued]
        try:
            with self.transaction():
                return self._apply_each(queued, savepoints=True)
        except Exception as error:
            return [(future, None, error) for _, future in queued]

    def _apply_each(
        self, queued: list[tuple[Callable[[], Any], Future[Any]]], savepoints: bool
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for apply, future in queued:
            changes = self._db.total_changes
            try:
                if savepoints:
                    with self._savepoint():
                        result = apply()
                else:
                    result = apply()
            except Exception as error:
                if not savepoints and self._db.total_changes != changes:
                    raise _HalfDone from error
                outcomes.append((future, None, error))
            else:
                outcomes.append((future, result, None))
        return outcomes

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """Undo only what the block changed if it raises."""
        self._db.execute("SAVEPOINT change")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK TO change")
            self._known.clear()
            raise
        finally:
            self._db.execute("RELEASE change")

    def get(self, kind: str, tenant: str, key: str) -> Record | None:
        row = self._db.execute(
            "SELECT record FROM items WHERE kind = ? AND tenant = ? AND key = ?",
            (kind, tenant, key),
        ).fetchone()
        return None if row is None else _decode(row[0])

    def put(self, kind: str, tenant: str, key: str, record: Record, tag: str = "") -> None:
        self._db.execute(
            "INSERT INTO items (kind, tenant, key, tag, record) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (kind, tenant, key) DO UPDATE SET tag = excluded.tag,"
            " record = excluded.record",
            (kind, tenant, key, tag, encode_json(record).decode()),
        )
        self._known.pop(kind, None)

    def add(self, kind: str, tenant: str, record: Record, tag: str = "") -> str:
        # A random key: one statement (every request adds a journal entry), unique across
        # processes without asking the file first.
        key = secrets.token_hex(8)
        self.put(kind, tenant, key, record, tag)
        return key

    def delete(self, kind: str, tenant: str, key: str) -> None:
        self._db.execute(
            "DELETE FROM items WHERE kind = ? AND tenant = ? AND key = ?", (kind, tenant, key)
        )
        self._known.pop(kind, None)

    def _forget_if_changed(self) -> None:
        """Forget what count() and value() answered if another process committed since."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._known_version:
            self._known.clear()
            self._known_version = version

    def _known_of(self, kind: str) -> dict[tuple[str | None, ...], Any]:
        """What count() and value() answered of the kind and still hold; forgotten when this
        process changes the kind, rolls back, or finds that another process committed."""
        # In a transaction of this process no other can commit: it looked when it began.
        if not self._depth:
            self._look_once_a_turn()
        return self._known.setdefault(kind, {})

    def _look_once_a_turn(self) -> None:
        """Look at data_version once in each turn of the running event loop (every time
        without one): outside a transaction, every request asks whether a fault is pending.

        A look serves the callbacks the loop runs before the one this schedules, which were
        all scheduled before the look: they serve requests whose bytes arrived before it, so
        whatever their clients knew another process committed, the look saw."""
        try:
            loop: AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # a thread without one (a test's, a tool's)
            loop = None
        if loop is not None and loop is self._looked_in:
            return
        self._forget_if_changed()
        if loop is not None:
            self._looked_in = loop
            loop.call_soon(self._turn_over)

    def _turn_over(self) -> None:
        self._looked_in = None

    def _remembered(self, kind: str, question: tuple[str | None, ...], read: Callable[[], T]) -> T:
        """What `read()` answers to `question` about the kind, read once while it holds."""
        with self._lock:
            known = self._known_of(kind)
            if question not in known:
                known[question] = read()
            answer: T = known[question]
            return answer

    def count(self, kind: str, tenant: str | None = None, tag: str | None = None) -> int:
        def read() -> int:
            where, args = _where(kind, tenant, tag)
            rows = self._db.execute(f"SELECT coalesce(sum(n), 0) FROM counts WHERE {where}", args)
            return int(rows.fetchone()[0])

        return self._remembered(kind, ("count", tenant, tag), read)

    def value(self, tenant: str, name: str, default: Any = None) -> Any:
        # The answer is the decoded object itself, as MemoryStorage's is: not to be changed.
        record = self._remembered(
            SETTINGS, ("value", tenant, name), partial(self.get, SETTINGS, tenant, name)
        )
        return default if record is None else record["value"]

    def records(
        self,
        kind: str,
        tenant: str | None = None,
        *,
        tag: str | None = None,
        order: Order = OLDEST_FIRST,
    ) -> list[Record]:
        where, args = _where(kind, tenant, tag)
        direction = "DESC" if order.newest_first else "ASC"
        rows = self._db.execute(
            f"SELECT record FROM items WHERE {where} ORDER BY seq {direction} LIMIT ? OFFSET ?",
            (*args, -1 if order.limit is None else order.limit, order.offset),
        )
        return [_decode(record) for (record,) in rows]

    def tenants(self, kind: str) -> list[str]:
        rows = self._db.execute(
            "SELECT DISTINCT tenant FROM counts WHERE kind = ? AND n > 0 ORDER BY tenant", (kind,)
        )
        return [tenant for (tenant,) in rows]

    def clear(self, kind: str, tenant: str | None = None) -> None:
        where, args = _where(kind, tenant, None)
        self._db.execute(f"DELETE FROM items WHERE {where}", args)
        self._known.pop(kind, None)

    def trim(self, kind: str, tenant: str, keep: int) -> None:
        self._db.execute(
            "DELETE FROM items WHERE kind = ? AND tenant = ? AND seq <= (SELECT seq FROM items"
            " WHERE kind = ? AND tenant = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
            (kind, tenant, kind, tenant, keep),
        )
        self._known.pop(kind, None)

    def append(self, log: str, entry: str) -> None:
        self._db.execute("INSERT INTO logs (log, entry) VALUES (?, ?)", (log, entry))

    def latest(self, log: str, limit: int) -> list[str]:
        # Read backwards from the newest row: the one log there is fills the table.
        rows = self._db.execute(
            "SELECT entry FROM logs WHERE log = ? ORDER BY seq DESC LIMIT ?", (log, limit)
        )
        return [entry for (entry,) in rows]

    def truncate(self, log: str, keep: int) -> None:
        self._db.execute(
            "DELETE FROM logs WHERE log = ? AND seq <= (SELECT seq FROM logs WHERE log = ?"
            " ORDER BY seq DESC LIMIT 1 OFFSET ?)",
            (log, log, keep),
        )


def _checkpoint_forever(db: sqlite3.Connection, queue: IO[str]) -> None:
    """Copy the WAL into the database now and then, and let it start over.

    A PASSIVE checkpoint never waits for a writer, but while writers keep appending it never
    catches up either, and the WAL only starts over from its beginning once a checkpoint has
    copied all of it: under steady traffic it grew by some 25 KiB a request, without end. So
    the bulk is copied beside the writers, again and again while they append, and once what
    is left is small it is copied holding the writers' queue (`queue`, the lock file every
    transaction takes); the next write then starts the WAL over. Writers wait for that last
    copy and its fsync, whose time grows with the pages copied: copied whole, it held them up
    for some 25 ms a second, the sandbox's slowest answers.
    """
    while True:
        time.sleep(CHECKPOINT_SECONDS)
        try:
            for _ in range(CHECKPOINT_PASSES):
                _busy, frames, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if frames - copied <= FRAMES_COPIED_WHILE_WRITERS_WAIT:
                    break
            fcntl.flock(queue, fcntl.LOCK_EX)
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                fcntl.flock(queue, fcntl.LOCK_UN)
        except sqlite3.Error:  # another process checkpointing, or the file gone: next time
            continue


def _decode(text: str) -> Record:
    record: Record = json.loads(text)
    return record


def _where(kind: str, tenant: str | None, tag: str | None) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause (and its arguments) selecting a kind, maybe a tenant, maybe a tag."""
    clauses, args = ["kind = ?"], [kind]
    for column, value in (("tenant", tenant), ("tag", tag)):
        if value is not None:
            clauses.append(f"{column} = ?")
            args.append(value)
    return " AND ".join(clauses), tuple(args)


def open_storage(path: Path | None) -> Storage:
    """SQLite at `path`, or memory when no path is given."""
    return MemoryStorage() if path is None else SqliteStorage(path)
