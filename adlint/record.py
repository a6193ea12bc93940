"""Make frozen dataclass records fast where the parser and URL splitter make them by the
hundred per article.

A frozen dataclass's generated `__init__` sets each field through `object.__setattr__`
(it must get past the frozen `__setattr__`); filling the instance dict in one update makes
the same object, equal, hashable, printable and picklable alike, two to four times faster.
"""

from __future__ import annotations

from typing import Any, TypeVar

_Record = TypeVar("_Record")


def frozen_record(cls: type[_Record], fields: dict[str, Any]) -> _Record:
    """An instance of the frozen dataclass `cls` from every one of its fields (all must be
    given: defaults are not applied), without running its `__init__`."""
    record = object.__new__(cls)
    record.__dict__.update(fields)
    return record
