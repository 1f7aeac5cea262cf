"""Ids as the vendors make them: unseeded, MongoDB ObjectIds in creation order."""

from __future__ import annotations

import itertools
import os
import time

from campaign_contracts.sandbox.generators import IdGenerator
from campaign_contracts.sandbox.storage import MemoryStorage


def test_unseeded_ids_are_object_ids_in_the_order_made() -> None:
    ids = IdGenerator("api", MemoryStorage())
    before = int(time.time())
    made = [ids.object_id() for _ in range(1000)]
    after = int(time.time())
    assert all(len(made_id) == 24 and int(made_id, 16) >= 0 for made_id in made)
    # The second it was made, the process's value, a counter (the vendors' samples say so).
    assert all(before <= int(made_id[:8], 16) <= after for made_id in made)
    assert len({made_id[8:18] for made_id in made}) == 1
    counters = [int(made_id[18:], 16) for made_id in made]
    assert all((b - a) % 0x1000000 == 1 for a, b in itertools.pairwise(counters))
    # Another stream of the same process continues the one sequence.
    assert (
        int(IdGenerator("other", MemoryStorage()).object_id()[18:], 16)
        == (counters[-1] + 1) % 0x1000000
    )


def test_a_forked_process_makes_ids_of_its_own() -> None:
    ids = IdGenerator("api", MemoryStorage())
    ids.object_id()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its next id, to the parent
        os.write(writing, ids.object_id().encode())
        os._exit(0)
    os.close(writing)
    childs = os.read(reading, 24).decode()
    os.waitpid(child, 0)
    ours = ids.object_id()
    assert len(childs) == 24
    assert childs[8:18] != ours[8:18]
