"""Peak memory of `adlint check` on a large corpus: does a static run stay flat?

Prints numbers, asserts nothing. Usage:

    python bench/memory.py --articles 100000 --distinct 10000

Builds N seed-shaped ~24 KB articles (bench/static.py's generator) under --corpus (default
a temporary folder): `--distinct` of them are generated, the rest are hard links to those
spread over many folders, so 100,000 articles cost the disk only the distinct ones (pass
`--distinct` equal to `--articles` for all-distinct content). Then runs `adlint check`
once per format with the default policy, -j and --no-cache (`--with-cache`: then twice
more with the result cache, cold and warm), output to /dev/null, and prints wall time,
CPU seconds (user + system, workers included: on a shared machine the steadier number),
articles/s, and peak memory sampled from /proc every 20 ms: RSS summed over the process
tree (counts pages forked workers share with the parent once per process, so it
overstates), PSS of the tree (shares them out), and the parent's RSS alone.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from static import article, tree_rss

PER_FOLDER = 1000


def build(corpus: Path, articles: int, distinct: int, seed: int = 7) -> None:
    """Write `distinct` articles, then hard-link copies up to `articles` files in total."""
    rng = random.Random(seed)
    sources: list[Path] = []
    for number in range(articles):
        folder = corpus / f"part-{number // PER_FOLDER:04}"
        folder.mkdir(exist_ok=True)
        path = folder / f"article-{number:06}.md"
        if path.exists():
            if number < distinct:
                sources.append(path)
            continue
        if number < distinct:
            path.write_text(article(rng, number), encoding="utf-8")
            sources.append(path)
        else:
            os.link(sources[number % distinct], path)


def own_rss(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[21]) * os.sysconf("SC_PAGE_SIZE")


def tree_pss(pid: int) -> int:
    """Proportional set size of a process tree: RSS counts the pages forked workers share
    with the parent once per process, PSS splits them among the sharers."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(stat[1]), []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack += children.get(current, [])
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        total += sum(
            int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")
        )
    return total


@dataclass
class Sample:
    seconds: float = 0.0
    cpu: float = 0.0
    """User plus system seconds of the process tree."""
    tree: int = 0
    pss: int = 0
    parent: int = 0


def measure(command: list[str]) -> Sample:
    """Wall and CPU seconds, peak tree RSS and PSS and peak parent RSS of a command."""
    result = Sample()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            result.tree = max(result.tree, tree_rss(process.pid))
            result.pss = max(result.pss, tree_pss(process.pid))
            result.parent = max(result.parent, own_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    result.seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        sys.exit(f"adlint failed ({process.returncode}): {stderr.decode()[-800:]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=10_000)
    parser.add_argument("--formats", default="json,sarif", help="comma-separated formats")
    parser.add_argument("--jobs", type=int, default=0, help="adlint -j (0: its default)")
    parser.add_argument("--corpus", type=Path, help="keep (and reuse) the corpus here")
    parser.add_argument(
        "--with-cache", action="store_true", help="also run with the result cache, cold and warm"
    )
    options = parser.parse_args()
    distinct = max(1, min(options.distinct, options.articles))
    with tempfile.TemporaryDirectory() as temp:
        corpus = options.corpus or Path(temp) / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        build(corpus, options.articles, distinct)
        print(
            f"corpus: {options.articles} articles ({distinct} distinct) in {corpus}, "
            f"built in {time.perf_counter() - started:.0f} s"
        )
        runs = [(name, ["--no-cache"]) for name in options.formats.split(",")]
        if options.with_cache:  # the default: results cached, first run cold, then warm
            cache = ["--cache-dir", str(Path(temp) / "cache")]
            runs += [("json (result cache cold)", cache), ("json (result cache warm)", cache)]
        for label, extra in runs:
            command = [sys.executable, "-m", "adlint", "check", "--no-config", *extra]
            command += ["--format", label.split()[0], "-o", os.devnull, str(corpus)]
            if options.jobs:
                command[4:4] = ["-j", str(options.jobs)]
            run = measure(command)
            print(
                f"adlint check --format {label}: {run.seconds:.1f} s wall, "
                f"{run.cpu:.1f} s CPU, {options.articles / run.seconds:,.0f} articles/s; "
                f"peak RSS {run.tree / 2**20:.0f} MB (process tree; PSS "
                f"{run.pss / 2**20:.0f} MB), parent alone {run.parent / 2**20:.0f} MB"
            )


if __name__ == "__main__":
    main()
