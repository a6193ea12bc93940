"""Lint many files on several processes, streaming results in a stable order.

Workers are processes (parsing is CPU-bound Python). The Policy holds compiled patterns
and closures, so it is not pickled: forked workers inherit the parent's, and where
processes are spawned each worker rebuilds it once from the same inputs the parent used
(config path, --policy files, rule selection). Files go out in small chunks and
come back as Outcomes (findings plus fingerprints and UTF-16 columns), never as parsed
documents. At most WINDOW chunks per worker are in flight and results are taken in
submission order, so the parent's memory stays flat however many files there are (a plain
`imap` would queue every result while the parent is busy writing) and `-j1` and `-jN`
write the same bytes.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from adlint.discover import Target
from adlint.engine import target_bytes
from adlint.errors import ParseError
from adlint.outcome import Outcome, lint_file, problem_outcome
from adlint.resultcache import ResultCache, encode_outcome, file_key, stored_outcome
from adlint.urls import preload

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from adlint.policy import Policy

CHUNK = 16
"""Files per task: big enough to amortise inter-process overhead, small enough to balance."""
WINDOW = 4
"""Chunks in flight per worker: enough to keep workers busy while the parent writes."""

WORKER_DIED = (
    "the worker process linting this file died (killed by the system, e.g. for lack of "
    "memory, or crashed in a parser), and died again when the file was linted alone"
)
"""The parse-error reason for a file whose worker was killed twice (see _Workers)."""


@dataclass(frozen=True)
class PolicyInputs:
    """What a worker needs to rebuild the parent's policy (picklable)."""

    config: Path | None
    policies: tuple[Path, ...]
    start: Path
    discover: bool
    rules: frozenset[str]
    links: bool = False
    """Collect each file's links for the link stage while it is parsed."""
    cache_settings: str | None = None
    """The result cache's settings digest; None when results are not cached."""
    cache_dir: Path | None = None
    """Where the caches are (the parsed-YAML memo included); None when not cached."""
    time_limit: float | None = None
    """CPU seconds one file may take before it is given up (see adlint/timelimit.py)."""


Linted = tuple[Target, Outcome, "bytes | None"]
"""A target, its Outcome and its result-cache key (None: not cacheable)."""

_Pair = tuple[Outcome, "bytes | None"]
"""An Outcome and its result-cache key (None: not cached, e.g. a file whose worker died)."""

_Known = list[tuple[Outcome | None, bytes | None]]
"""Per target of a chunk, the Outcome the result cache holds (None: to lint) and its key."""

_WORKER: tuple[Policy, PolicyInputs] | None = None


def relax_gc() -> None:
    """Let the cycle collector run rarely, and never over what is loaded so far.

    Parsing allocates thousands of container objects per article and makes no reference
    cycles, yet each allocation burst triggers collections that walk every live object:
    4-10% of a site's lint time, and a third of it on one page of a million elements
    (18 s, 12 s without). The policy, parsers and suffix list loaded before this are
    frozen out of every collection (and stay shared with forked workers); gen-0 collections
    still run, every 100,000 allocations, so cyclic garbage from link checks is reclaimed.
    """
    global _GC_RELAXED
    if not _GC_RELAXED:  # once: a process running many checks (tests) freezes only its start
        _GC_RELAXED = True
        gc.freeze()
    gc.set_threshold(100_000, 50, 1000)


_GC_RELAXED = False


def _initialise(inputs: PolicyInputs, restrict: Callable[[Policy, set[str]], Policy]) -> None:
    """Build the parent's policy again from its inputs (a spawned worker: nothing inherited)."""
    from adlint.config import load_config

    policy, _ = load_config(
        config=inputs.config,
        policies=list(inputs.policies),
        cwd=inputs.start,
        discover=inputs.discover,
        cache_dir=inputs.cache_dir,
    )
    _adopt(restrict(policy, set(inputs.rules)), inputs)
    _load_parsers()


def _adopt(policy: Policy, inputs: PolicyInputs) -> None:
    """Use the parent's policy as is: a forked worker receives it without pickling, so it
    neither reads and builds the policy again (up to 40 ms per worker) nor can it build a
    different one from a config edited during the run."""
    global _WORKER
    _WORKER = (policy, inputs)
    relax_gc()  # forked workers inherit it; spawned ones must be told


def _load_parsers() -> None:
    """Import the parsers and load the suffix list (~0.3 s) before the first file is linted,
    so that neither counts against that file's time limit."""
    import adlint.parse  # noqa: F401

    preload()


def _lint_chunk(chunk: list[Target]) -> list[_Pair]:
    assert _WORKER is not None
    policy, inputs = _WORKER
    return [_lint_one(target, policy, inputs) for target in chunk]


def _lint_one(target: Target, policy: Policy, inputs: PolicyInputs) -> _Pair:
    """Lint a file; its cache key is taken over the bytes actually linted."""
    outcome, data = lint_file(target, policy, links=inputs.links, time_limit=inputs.time_limit)
    if inputs.cache_settings is None or data is None:
        return outcome, None
    return outcome, file_key(inputs.cache_settings, target.display, data)


def _chunks(targets: Iterable[Target], size: int) -> Iterator[list[Target]]:
    iterator = iter(targets)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _flag_last(chunks: Iterator[list[Target]]) -> Iterator[tuple[list[Target], bool]]:
    """Each chunk, and whether it is the last (chunks are never empty)."""
    current = next(chunks, None)
    while current is not None:
        following = next(chunks, None)
        yield current, following is None
        current = following


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
    cache: ResultCache | None = None,
) -> Iterator[Linted]:
    """Yield each target's Outcome, in order; `jobs == 1` stays in this process.

    With a cache, files it knows are answered without parsing; only the others go to the
    workers, which are started at the first such file (a fully cached run starts none), and
    only when more than one file is left to lint: one file (`adlint check a.md`, standard
    input, one edit in a cached site) is linted here, sooner than a pool could start.
    New results are stored as they arrive.
    """
    relax_gc()
    with _Workers(policy, inputs, restrict, jobs) as workers:
        pending: deque[tuple[list[Target], _Known, _Result | None]]
        pending = deque()
        for chunk, last in _flag_last(_chunks(targets, CHUNK)):
            known = _cached(chunk, inputs, cache)
            misses = [t for t, (o, _) in zip(chunk, known, strict=True) if o is None]
            pending.append((chunk, known, workers.submit(misses, last) if misses else None))
            if len(pending) >= WINDOW * jobs:
                yield from _finish(*pending.popleft(), cache)
        while pending:
            yield from _finish(*pending.popleft(), cache)


def _cached(chunk: list[Target], inputs: PolicyInputs, cache: ResultCache | None) -> _Known:
    """Per target, the Outcome the cache holds (or None) and its key (None: not cacheable)."""
    if cache is None or inputs.cache_settings is None:
        return [(None, None)] * len(chunk)
    keys: list[bytes | None] = []
    for target in chunk:
        try:
            data = target_bytes(target)
        except (OSError, ParseError):
            keys.append(None)  # unreadable now: the worker reports why
        else:
            keys.append(file_key(inputs.cache_settings, target.display, data))
    found = cache.lookup([key for key in keys if key is not None])
    answers: _Known = []
    for target, key in zip(chunk, keys, strict=True):
        value = found.get(key) if key is not None else None
        outcome = stored_outcome(target.display, value) if value is not None else None
        if outcome is not None and inputs.links and outcome.web_links is None:
            outcome = None  # cached by a run that did not collect links
        answers.append((outcome, key))
    return answers


def _finish(
    chunk: list[Target],
    known: _Known,
    result: _Result | None,
    cache: ResultCache | None,
) -> Iterator[Linted]:
    fresh = iter(result.get() if result is not None else ())
    for target, (outcome, cached_key) in zip(chunk, known, strict=True):
        if outcome is not None:
            yield target, outcome, cached_key
            continue
        outcome, key = next(fresh)
        if cache is not None and key is not None:
            cache.add(key, encode_outcome(outcome))
        yield target, outcome, key


class _Workers:
    """The worker pool, started on first use; `jobs == 1` lints in this process.

    A worker that dies mid-chunk (killed by the out-of-memory killer, a crash in a parser's
    C code) breaks the whole pool: every chunk in flight fails with it, and nothing says
    which file was to blame. Those chunks' files are then linted again one at a time on a
    separate one-worker pool, where a death can only be that file's: it becomes a
    `parse-error` finding, and the run goes on (a `multiprocessing.Pool` would instead lose
    the task and wait for it for ever). The main pool is started afresh for the chunks
    still to come.
    """

    def __init__(
        self,
        policy: Policy,
        inputs: PolicyInputs,
        restrict: Callable[[Policy, set[str]], Policy],
        jobs: int,
    ) -> None:
        self.policy, self.inputs, self.restrict, self.jobs = policy, inputs, restrict, jobs
        self.pool: ProcessPoolExecutor | None = None
        self.solo: ProcessPoolExecutor | None = None
        self.retired: list[ProcessPoolExecutor] = []

    def submit(self, targets: list[Target], last: bool = False) -> _Result:
        """Start linting `targets`; the result's `get()` gives (Outcome, key) pairs. The pool
        is not started for a single file that is the `last` of the run."""
        if self.jobs <= 1 or (self.pool is None and last and len(targets) == 1):
            _load_parsers()  # not on the first file's time limit
            return _Done([_lint_one(t, self.policy, self.inputs) for t in targets])
        if self.pool is None:
            self.pool = self._start(self.jobs)
        return _Pending(self, self.pool, self.pool.submit(_lint_chunk, targets), targets)

    def _start(self, workers: int) -> ProcessPoolExecutor:
        import multiprocessing  # loaded only when a file needs linting
        from concurrent.futures import ProcessPoolExecutor

        _load_parsers()  # workers fork with them loaded, rather than each loading them
        if "fork" in multiprocessing.get_all_start_methods():
            context, setup = multiprocessing.get_context("fork"), _adopt
            arguments: tuple[object, ...] = (self.policy, self.inputs)
        else:  # pragma: no cover - macOS, Windows: the policy cannot be pickled
            context, setup = multiprocessing.get_context("spawn"), _initialise
            arguments = (self.inputs, self.restrict)
        return ProcessPoolExecutor(
            workers, mp_context=context, initializer=setup, initargs=arguments
        )

    def broken(self, pool: ProcessPoolExecutor, targets: list[Target]) -> list[_Pair]:
        """A chunk's pool broke: retire it (once) and lint the chunk's files one by one."""
        if pool is self.pool:
            self.pool = None
            self._retire(pool)
        return [self._alone(target) for target in targets]

    def _alone(self, target: Target) -> _Pair:
        """Lint one file on the one-worker pool, with nothing else in flight there."""
        if self.solo is None:
            self.solo = self._start(1)
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.solo.submit(_lint_chunk, [target]).result()[0]
        except BrokenProcessPool:
            self._retire(self.solo)
            self.solo = None
        died = problem_outcome(target.display, WORKER_DIED, self.policy, links=self.inputs.links)
        return died, None  # not cached: the next run tries the file again

    def _retire(self, pool: ProcessPoolExecutor) -> None:
        pool.shutdown(wait=False, cancel_futures=True)
        self.retired.append(pool)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop every worker. After an error (or Ctrl-C) running chunks are not awaited."""
        failed = exc[0] is not None
        for pool in (self.pool, self.solo, *self.retired):
            if pool is not None:
                if failed:
                    _kill(pool)
                pool.shutdown(wait=not failed, cancel_futures=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    """Terminate a pool's workers before shutting it down (the executor has no public way
    before Python 3.14, and forgets its processes on shutdown)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


@dataclass(frozen=True)
class _Pending:
    """A chunk on the pool; a broken pool's chunk is linted again, file by file."""

    workers: _Workers
    pool: ProcessPoolExecutor
    future: Future[list[_Pair]]
    targets: list[Target]

    def get(self) -> list[_Pair]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.future.result()
        except BrokenProcessPool:
            return self.workers.broken(self.pool, self.targets)


@dataclass(frozen=True)
class _Done:
    """An in-process result, shaped like _Pending."""

    value: list[_Pair]

    def get(self) -> list[_Pair]:
        return self.value


_Result = _Pending | _Done


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
