"""Ids and timestamps in the vendors' formats; ids are repeatable once seeded."""

from __future__ import annotations

import itertools
import os
import random
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from campaign_contracts.sandbox.storage import Storage


class _ObjectIds:
    """Unseeded 24-character ids laid out as MongoDB's ObjectIds, as the vendors' samples are
    (`5c1097c6717a743602510c9c`): the second of creation, a value random for the process, and
    a counter from a random start. An id sorts after the one before it, so the state file's
    index of ids takes a new one beside the last: random ids put each on a page of its own,
    which every commit wrote out, a tenth of a create's time."""

    def __init__(self) -> None:
        self._start()
        # A forked process starts its own sequence, or it would repeat its parent's ids.
        os.register_at_fork(after_in_child=self._start)

    def _start(self) -> None:
        self._process = secrets.token_hex(5)
        self._counter = itertools.count(secrets.randbits(24))

    def __call__(self) -> str:
        return f"{int(time.time()):08x}{self._process}{next(self._counter) % 0x1000000:06x}"


_object_ids = _ObjectIds()


class IdGenerator:
    """24-character lowercase hex ids (MongoDB ObjectIds) and digit strings.

    Unseeded its ids are laid out as ObjectIds and its digits come from system entropy;
    `reseed(seed)` makes every later id and digit a function of the seed and the order of
    the calls, so a test that seeds gets the same ids on every run.
    A seeded generator's state lives in the storage, so every process sharing a state file
    continues one sequence, and so does a restart.
    """

    def __init__(self, stream: str, storage: Storage) -> None:
        # Each backend owns a stream, so one vendor's calls never shift the other's ids.
        self._stream = stream
        self._storage = storage
        self._entropy = random.Random()

    def reseed(self, seed: int | None) -> None:
        """Start over from `seed` (None: unseeded, as ObjectIds and from system entropy)."""
        self._storage.set_value(self._stream, "seed", seed)
        self.restart()

    def reseed_unless_seeded(self, seed: int | None) -> None:
        """At start-up: a seed given replaces a different stored one; the same seed continues
        its sequence (a restarted sandbox must not hand out its ids again)."""
        if seed is not None and self._storage.value(self._stream, "seed") != seed:
            self.reseed(seed)

    def restart(self) -> None:
        """Start over from the current seed, as if freshly seeded."""
        self._storage.set_value(self._stream, "state", None)

    def _draw(self, draw: Callable[[random.Random], str], unseeded: Callable[[], str]) -> str:
        seed = self._storage.value(self._stream, "seed")
        if seed is None:
            return unseeded()
        generator = random.Random()
        state = self._storage.value(self._stream, "state")
        if state is None:
            generator.seed(f"{seed}:{self._stream}")
        else:
            version, internal, gauss = state
            generator.setstate((version, tuple(internal), gauss))
        drawn = draw(generator)
        version, internal, gauss = generator.getstate()
        self._storage.set_value(self._stream, "state", [version, list(internal), gauss])
        return drawn

    def object_id(self) -> str:
        return self._draw(lambda generator: f"{generator.getrandbits(96):024x}", _object_ids)

    def digits(self, count: int) -> str:
        def draw(generator: random.Random) -> str:
            return "".join(generator.choices("0123456789", k=count))

        return self._draw(draw, partial(draw, self._entropy))


class _UtcClock:
    """Now, as the vendors print it: `2022-02-22T17:23:40.073Z`."""

    def __init__(self) -> None:
        # The current second, formatted once: a create and its journal entry both ask.
        self._second: tuple[int, str] = (-1, "")

    def __call__(self) -> str:
        now = time.time()
        second, text = self._second
        if int(now) != second:
            second = int(now)
            text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = (second, text)
        return f"{text}.{int((now - second) * 1000):03d}Z"


utc_timestamp = _UtcClock()
