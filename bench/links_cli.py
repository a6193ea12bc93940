"""The whole `adlint check --check-links` run, cold cache vs warm, as a user would time it.

Usage: python bench/links_cli.py [--urls 1000] [--articles 200] [--latency 0.02] [--repeat 3]
                                 [--jobs N] [--profile]

Reuses bench/links.py's server (ten loopback hosts, a known mix of statuses, `--latency` per
request) and corpus. Each run is a fresh `python -m adlint check` process, so the times
include interpreter start-up, discovery, parsing, the link stage and JSON output. Cold runs
start from an empty cache directory (`--cache-dir`: link verdicts and lint results); warm
runs reuse what a cold run left, and must write the same JSON. Prints medians and the
cold/warm ratio (issue 4 asks for at least 20x). Then one cold and one warm run in-process
split out the checker;
`--profile` adds the top functions of one warm run. Prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import links as server_bench  # noqa: E402  (bench/links.py: the server and the corpus)


def adlint_command(corpus: Path, cache: Path, jobs: int | None) -> list[str]:
    """`cache` is the cache directory (link verdicts and lint results)."""
    command = [sys.executable, "-m", "adlint", "check", str(corpus), "--no-config"]
    command += ["--check-links", "--allow-private", "--no-progress", "--cache-dir", str(cache)]
    command += ["--format", "json", "--output", str(cache.with_suffix(".json"))]
    return command + (["--jobs", str(jobs)] if jobs else [])


def same_output(first: Path, second: Path) -> bool:
    """Cold and warm runs must report the same findings (bytes of the JSON output)."""
    return first.read_bytes() == second.read_bytes()


def timed_run(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"adlint failed ({done.returncode}): {done.stderr}")
    return elapsed


def profile_warm(corpus: Path, cache: Path, jobs: int | None) -> str:
    """cProfile of one warm run in this process (the link stage and everything around it)."""
    from adlint.cli import main

    argv = adlint_command(corpus, cache, jobs)[3:]  # drop "python -m adlint"
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(main, argv)
    elapsed = time.perf_counter() - start
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(25)
    return f"in-process warm run: {elapsed:.3f} s\n{out.getvalue()}"


def stage_times(corpus: Path, cache: Path, jobs: int | None, runs: int) -> list[dict[str, float]]:
    """In-process runs: the whole run and the checker inside it."""
    import adlint.links.checker as checker
    from adlint.cli import main

    times: dict[str, float] = {}

    def timed(module: object, name: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - start

        setattr(module, name, wrapper)

    timed(checker, "check_urls")
    results = []
    for _ in range(runs):
        times.clear()
        start = time.perf_counter()
        main(adlint_command(corpus, cache, jobs)[3:])
        results.append({**times, "run": time.perf_counter() - start})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="adlint -j (default: adlint's own default)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    queue: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=server_bench.run_server, args=(queue, args.latency), daemon=True
    )
    server.start()
    ports = queue.get(timeout=30)
    rng = random.Random(args.seed)
    kinds = server_bench.make_urls(args.urls, ports, rng)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            corpus = work / "corpus"
            corpus.mkdir()
            server_bench.write_corpus(corpus, list(kinds), args.articles, rng)
            links = sum(p.read_text().count("http://") for p in corpus.glob("*.md"))
            print(
                f"corpus: {args.articles} articles, {links} links, {len(kinds)} unique URLs on"
                f" {len(server_bench.HOSTS)} hosts, {args.latency * 1000:.0f} ms latency;"
                f" adlint -j {args.jobs or 'default'}"
            )
            cache = work / "cache"
            colds, warms, requests, same = [], [], [], []
            for _ in range(args.repeat):
                shutil.rmtree(cache, ignore_errors=True)
                server_bench.server_stats(ports)  # reset the flaky and rate-limited state
                colds.append(timed_run(adlint_command(corpus, cache, args.jobs)))
                requests.append(sum(server_bench.server_stats(ports).values()))
                shutil.copy(cache.with_suffix(".json"), work / "cold.json")
                warms.append(timed_run(adlint_command(corpus, cache, args.jobs)))
                requests.append(sum(server_bench.server_stats(ports).values()))
                same.append(same_output(work / "cold.json", cache.with_suffix(".json")))
            cold, warm = statistics.median(colds), statistics.median(warms)
            print(f"cold cache: median {cold:.2f} s of {', '.join(f'{t:.2f}' for t in colds)}")
            print(f"warm cache: median {warm:.2f} s of {', '.join(f'{t:.2f}' for t in warms)}")
            print(f"requests per run (cold, warm, ...): {requests}")
            print(f"warm output identical to cold: {same}")
            print(f"cold/warm: {cold / warm:.1f}x (issue 4 target: >= 20x)")
            baseline = [sys.executable, "-m", "adlint", "check", str(corpus), "--no-config"]
            baseline += ["--format", "json", "--output", str(work / "plain.json"), "--no-cache"]
            plain = statistics.median(
                timed_run(baseline + (["--jobs", str(args.jobs)] if args.jobs else []))
                for _ in range(args.repeat)
            )
            print(f"the same run without --check-links and without cache: median {plain:.2f} s")
            shutil.rmtree(cache, ignore_errors=True)
            server_bench.server_stats(ports)
            stages = stage_times(corpus, cache, args.jobs, 2)
            for label, times in zip(("cold", "warm"), stages, strict=True):
                print(
                    f"in-process {label}: run {times['run']:.3f} s,"
                    f" check_urls {times['check_urls']:.3f} s"
                )
            check_ratio = stages[0]["check_urls"] / stages[1]["check_urls"]
            print(f"check_urls alone cold/warm: {check_ratio:.0f}x")
            if args.profile:
                print(profile_warm(corpus, cache, args.jobs))
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
