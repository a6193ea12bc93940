"""Lint many files on several processes, streaming results in a stable order.

Workers are processes (parsing is CPU-bound Python). The Policy holds compiled patterns
and closures, so it is not pickled: each worker rebuilds it once from the same inputs the
parent used (config path, --policy files, rule selection). Files go out in small chunks and
come back as Outcomes (findings plus fingerprints and UTF-16 columns), never as parsed
documents. At most WINDOW chunks per worker are in flight and results are taken in
submission order, so the parent's memory stays flat however many files there are (a plain
`imap` would queue every result while the parent is busy writing) and `-j1` and `-jN`
write the same bytes.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from adlint.discover import Target
from adlint.outcome import Outcome, lint_outcome
from adlint.policy import Policy

CHUNK = 16
"""Files per task: big enough to amortise inter-process overhead, small enough to balance."""
WINDOW = 4
"""Chunks in flight per worker: enough to keep workers busy while the parent writes."""


@dataclass(frozen=True)
class PolicyInputs:
    """What a worker needs to rebuild the parent's policy (picklable)."""

    config: Path | None
    policies: tuple[Path, ...]
    start: Path
    discover: bool
    rules: frozenset[str]


_WORKER_POLICY: Policy | None = None


def _initialise(inputs: PolicyInputs, restrict: Callable[[Policy, set[str]], Policy]) -> None:
    global _WORKER_POLICY
    from adlint.config import load_config

    policy, _ = load_config(
        config=inputs.config,
        policies=list(inputs.policies),
        cwd=inputs.start,
        discover=inputs.discover,
    )
    _WORKER_POLICY = restrict(policy, set(inputs.rules))


def _lint_chunk(chunk: list[Target]) -> list[Outcome]:
    assert _WORKER_POLICY is not None
    return [lint_outcome(target, _WORKER_POLICY) for target in chunk]


def _chunks(targets: Iterable[Target], size: int) -> Iterator[list[Target]]:
    iterator = iter(targets)
    while chunk := list(islice(iterator, size)):
        yield chunk


def default_jobs() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def lint_parallel(
    targets: Iterable[Target],
    policy: Policy,
    inputs: PolicyInputs,
    restrict: Callable[[Policy, set[str]], Policy],
    jobs: int,
) -> Iterator[Outcome]:
    """Yield each target's Outcome, in order; `jobs == 1` stays in this process."""
    if jobs <= 1:
        for target in targets:
            yield lint_outcome(target, policy)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(jobs, initializer=_initialise, initargs=(inputs, restrict)) as pool:
        pending: deque[multiprocessing.pool.AsyncResult[list[Outcome]]] = deque()
        for chunk in _chunks(targets, CHUNK):
            pending.append(pool.apply_async(_lint_chunk, (chunk,)))
            if len(pending) >= WINDOW * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def in_shard(display: str, shard: tuple[int, int] | None) -> bool:
    """Deterministic sharding by a hash of the reported path (stable across machines)."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha1(display.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def parse_shard(text: str) -> tuple[int, int]:
    """Parse `K/N` (1-based)."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard must look like K/N, e.g. 2/4 (got {text!r})") from None
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"--shard K/N needs 1 <= K <= N (got {text!r})")
    return index, count
