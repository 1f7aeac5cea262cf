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
in an event loop hands its state change to `change()` instead, which commits it before it
returns without making the loop wait for the storage. `close()` releases what a storage holds.
"""

from __future__ import annotations

import asyncio
import bisect
import fcntl
import json
import secrets
import sqlite3
import threading
from abc import ABC, abstractmethod
from asyncio import AbstractEventLoop, Future
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Self, TypeVar

from campaign_contracts.httpapi.encoding import encode_json

Record = dict[str, Any]
T = TypeVar("T")

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
        """`apply()` (run once) as one state change, committed when this returns (so an
        answer sent after it is durable); what it raises, having changed nothing."""
        with self.transaction():
            return apply()

    @abstractmethod
    def close(self) -> None:
        """Release the files and threads the storage holds; it is not used after."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

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
    def append(self, log: str, entry: str) -> int:
        """Add an entry (a JSON text) at the end of a log; its number, one more than the
        number of the entry appended before it (while no other log is appended to)."""

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
        self._appended: Counter[str] = Counter()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def close(self) -> None:
        pass  # no file, no thread

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

    def append(self, log: str, entry: str) -> int:
        self._logs.setdefault(log, deque()).append(entry)
        self._appended[log] += 1
        return self._appended[log]

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
BUSY_TIMEOUT_SECONDS = 10.0
CHECKPOINT_SECONDS = 1.0
# Once it starts over, the WAL file is cut back to this size.
WAL_SIZE_LIMIT = 64 * 1024 * 1024


class StateFileError(Exception):
    """The --state file cannot be opened or is not the sandbox's."""


class _WriteQueue:
    """Who writes the file next: every writer of every process takes this lock first.

    SQLite's own wait for its write lock (busy_timeout) sleeps up to 100 ms between looks,
    so a process that writes again at once keeps it from another for as long as it writes.
    A lock file's flock wakes a waiting process as soon as it is free. flock excludes other
    open files, not this one's other threads: `_holder` admits one of those at a time, taken
    before the flock and given back after it (any thread may give it back).
    """

    def __init__(self, path: Path) -> None:
        self._file = Path(f"{path}.lock").open("a")  # noqa: SIM115 (open until close())
        self._holder = threading.Lock()

    def take(self, blocking: bool = True) -> bool:
        """Take it (waiting if `blocking`); False if not `blocking` and it is held."""
        if not self._holder.acquire(blocking):
            return False
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BaseException as error:
            self._holder.release()
            if isinstance(error, BlockingIOError):
                return False
            raise
        return True

    def give_back(self) -> None:
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._holder.release()

    @contextmanager
    def held(self) -> Iterator[None]:
        self.take()
        try:
            yield
        finally:
            self.give_back()

    def close(self) -> None:
        self._file.close()


class SqliteStorage(Storage):
    """State in an SQLite file (WAL mode) that any number of sandbox processes share.

    A transaction takes the write queue (`_WriteQueue`), then the file's write lock (BEGIN
    IMMEDIATE): the transactions of all processes happen one after the other, each seeing
    the one before. In this process one connection does everything, under `_lock`.

    A commit costs more than most changes (it writes every page they touched to the WAL), so
    `change()` queues its function, and at the end of the event loop's turn the loop applies
    what was queued in that turn in one transaction, each function once, in a savepoint (one
    that raises is undone alone), and answers each after the COMMIT. The loop never waits for
    the write queue: while another process holds it, a thread waits for it and the loop goes
    on serving. A transaction() outside the loop (a tool's, a test's) waits for it itself.

    synchronous=NORMAL: in WAL mode a commit survives the process being killed (what a
    sandbox meets), though not the machine losing power, and the file is never corrupted.
    Its fsyncs, when the WAL is copied into the database (a checkpoint), happen in a thread
    of its own every second rather than in the loop.
    """

    def __init__(self, path: Path) -> None:
        # Transactions nest; `_depth`, `_queued` and `_db` are used under `_lock`, which is
        # taken after the write queue, never before.
        self._lock = threading.RLock()
        self._depth = 0
        # The changes waiting for the end of a turn, by the event loop they came from.
        self._queued: dict[AbstractEventLoop, list[tuple[Callable[[], Any], Future[Any]]]] = {}
        try:
            self._writes = _WriteQueue(path)
            self._db = _connect(path)
            # One transaction: processes starting together create the schema once.
            with self._writes.held():
                self._db.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\nCOMMIT;")
            checkpoints = _connect(path)
        except (OSError, sqlite3.Error) as error:
            raise StateFileError(f"cannot use {path} as the state file: {error}") from error
        self._closing = threading.Event()
        self._checkpointer = threading.Thread(
            target=self._checkpoint_until_closed, args=(checkpoints,), daemon=True
        )
        self._checkpointer.start()

    def close(self) -> None:
        self._closing.set()
        self._checkpointer.join()
        with self._lock:
            self._db.close()
        self._writes.close()

    @contextmanager
    def _begun(self) -> Iterator[None]:
        """A transaction of the write queue's holder, committed when the block ends, rolled
        back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # `_depth` is only ever above 0 for the thread holding `_lock`.
        with self._lock:
            nested = self._depth > 0
        if nested:  # joins the outer one
            yield
            return
        with self._writes.held(), self._begun():
            yield

    async def change(self, apply: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        future: Future[T] = loop.create_future()
        with self._lock:
            queued = self._queued.setdefault(loop, [])
            if not queued:
                loop.call_soon(self._apply_queued, loop)
            queued.append((apply, future))
        return await future

    def _apply_queued(self, loop: AbstractEventLoop) -> None:
        """At the end of a turn of `loop`: apply its queued changes once the write queue is
        ours; a thread waits for it while another process holds it."""
        try:
            taken = self._writes.take(blocking=False)
        except Exception as error:  # the lock file closed, say
            self._apply_taken(loop, error)
            return
        if taken:
            self._apply_taken(loop)
        else:
            waiting = loop.run_in_executor(None, self._writes.take)
            waiting.add_done_callback(lambda _: self._apply_taken(loop, waiting.exception()))

    def _apply_taken(self, loop: AbstractEventLoop, failure: BaseException | None = None) -> None:
        """Apply the changes `loop` queued in one transaction and give the write queue back
        (unless taking it failed: `failure`); answer each with what it returned or raised."""
        with self._lock:
            # A future done by now is a request whose client has gone: not applied.
            queued = [item for item in self._queued.pop(loop) if not item[1].done()]
        try:
            if failure is not None:
                raise failure
            try:
                with self._begun():
                    outcomes = [self._apply_one(apply, future) for apply, future in queued]
            finally:
                self._writes.give_back()
        except Exception as unapplied:  # no transaction, or no commit: none of them happened
            outcomes = [(future, None, unapplied) for _, future in queued]
        for future, result, error in outcomes:
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)

    def _apply_one(
        self, apply: Callable[[], Any], future: Future[Any]
    ) -> tuple[Future[Any], Any, Exception | None]:
        """`apply()` in a savepoint: undone alone if it raises."""
        self._db.execute("SAVEPOINT change")
        try:
            return future, apply(), None
        except Exception as error:
            self._db.execute("ROLLBACK TO change")
            return future, None, error
        finally:
            self._db.execute("RELEASE change")

    def _checkpoint_until_closed(self, db: sqlite3.Connection) -> None:
        """Copy the WAL into the database every second, and let it start over.

        A checkpoint never waits for writers, but while they keep appending it never copies
        all of the WAL, and the WAL only starts over from its beginning once a checkpoint
        has: under steady traffic it would grow without end. So the bulk is copied beside
        the writers, and the rest holding the write queue, which writers then wait for."""
        with closing(db):
            while not self._closing.wait(CHECKPOINT_SECONDS):
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    with self._writes.held():
                        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:  # the file gone, say: next time
                    continue

    def _write(self, sql: str, args: tuple[Any, ...]) -> int:
        """Run a statement that writes, in the current transaction or one of its own; the
        rowid it inserted."""
        with self.transaction():
            return self._db.execute(sql, args).lastrowid or 0

    def _rows(self, sql: str, args: tuple[Any, ...]) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def get(self, kind: str, tenant: str, key: str) -> Record | None:
        rows = self._rows(
            "SELECT record FROM items WHERE kind = ? AND tenant = ? AND key = ?",
            (kind, tenant, key),
        )
        return _decode(rows[0][0]) if rows else None

    def put(self, kind: str, tenant: str, key: str, record: Record, tag: str = "") -> None:
        self._write(
            "INSERT INTO items (kind, tenant, key, tag, record) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (kind, tenant, key) DO UPDATE SET tag = excluded.tag,"
            " record = excluded.record",
            (kind, tenant, key, tag, encode_json(record).decode()),
        )

    def add(self, kind: str, tenant: str, record: Record, tag: str = "") -> str:
        # A random key: one statement (every request adds a journal entry), unique across
        # processes without asking the file first.
        key = secrets.token_hex(8)
        self.put(kind, tenant, key, record, tag)
        return key

    def delete(self, kind: str, tenant: str, key: str) -> None:
        self._write(
            "DELETE FROM items WHERE kind = ? AND tenant = ? AND key = ?", (kind, tenant, key)
        )

    def count(self, kind: str, tenant: str | None = None, tag: str | None = None) -> int:
        where, args = _where(kind, tenant, tag)
        return int(self._rows(f"SELECT coalesce(sum(n), 0) FROM counts WHERE {where}", args)[0][0])

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
        rows = self._rows(
            f"SELECT record FROM items WHERE {where} ORDER BY seq {direction} LIMIT ? OFFSET ?",
            (*args, -1 if order.limit is None else order.limit, order.offset),
        )
        return [_decode(record) for (record,) in rows]

    def tenants(self, kind: str) -> list[str]:
        rows = self._rows(
            "SELECT DISTINCT tenant FROM counts WHERE kind = ? AND n > 0 ORDER BY tenant", (kind,)
        )
        return [tenant for (tenant,) in rows]

    def clear(self, kind: str, tenant: str | None = None) -> None:
        where, args = _where(kind, tenant, None)
        self._write(f"DELETE FROM items WHERE {where}", args)

    def trim(self, kind: str, tenant: str, keep: int) -> None:
        self._write(
            "DELETE FROM items WHERE kind = ? AND tenant = ? AND seq <= (SELECT seq FROM items"
            " WHERE kind = ? AND tenant = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
            (kind, tenant, kind, tenant, keep),
        )

    def append(self, log: str, entry: str) -> int:
        # The rowid: one past the newest, so it counts every entry ever appended.
        return self._write("INSERT INTO logs (log, entry) VALUES (?, ?)", (log, entry))

    def latest(self, log: str, limit: int) -> list[str]:
        # Read backwards from the newest row: the one log there is fills the table.
        rows = self._rows(
            "SELECT entry FROM logs WHERE log = ? ORDER BY seq DESC LIMIT ?", (log, limit)
        )
        return [entry for (entry,) in rows]

    def truncate(self, log: str, keep: int) -> None:
        self._write(
            "DELETE FROM logs WHERE log = ? AND seq <= (SELECT seq FROM logs WHERE log = ?"
            " ORDER BY seq DESC LIMIT 1 OFFSET ?)",
            (log, log, keep),
        )


def _connect(path: Path) -> sqlite3.Connection:
    # Writers take the write queue first, so the file's own locks are free at once or soon:
    # SQLite waits only for what does not queue (opening the file, an sqlite3 shell).
    db = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS
    )
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
    db.execute("PRAGMA wal_autocheckpoint = 0")  # the checkpoint thread's work
    return db


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
