"""frozen_record: the fast way to make a frozen dataclass makes the same object."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from adlint.document import TextRun
from adlint.record import frozen_record
from adlint.urls import UrlParts


def test_frozen_record_equals_hashes_and_prints_like_the_dataclass():
    fast = frozen_record(TextRun, {"start": 3, "text": "deal"})
    slow = TextRun(3, "deal")
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow


def test_frozen_record_stays_frozen():
    parts = frozen_record(
        UrlParts,
        {"url": "u", "scheme": "https", "host": "h", "path": "/", "query": "", "params": ()},
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        parts.host = "other"  # type: ignore[misc]
