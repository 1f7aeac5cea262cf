"""Ids and timestamps in the vendors' formats; ids are repeatable once seeded."""

from __future__ import annotations

import random
from datetime import UTC, datetime


class IdGenerator:
    """24-character lowercase hex ids (MongoDB ObjectId style) and digit strings.

    Unseeded it draws from system entropy; `reseed(seed)` makes every later id a function of
    the seed and the order of the calls, so a test that seeds gets the same ids on every run.
    """

    def __init__(self, stream: str) -> None:
        # Each backend owns a stream, so one vendor's calls never shift the other's ids.
        self._stream = stream
        self._seed: int | None = None
        self._random = random.Random()

    def reseed(self, seed: int | None) -> None:
        """Start over from `seed` (None: from system entropy)."""
        self._seed = seed
        self.restart()

    def restart(self) -> None:
        """Start over from the current seed, as if freshly seeded."""
        if self._seed is None:
            self._random = random.Random()
        else:
            self._random = random.Random(f"{self._seed}:{self._stream}")

    def object_id(self) -> str:
        return f"{self._random.getrandbits(96):024x}"

    def digits(self, count: int) -> str:
        return "".join(self._random.choices("0123456789", k=count))


def utc_timestamp() -> str:
    """Now, as the vendors print it: `2022-02-22T17:23:40.073Z`."""
    # isoformat rather than strftime: half the time, and every create calls it.
    return datetime.now(UTC).isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"
