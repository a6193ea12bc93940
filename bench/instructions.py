"""Count the CPU instructions one article costs, for comparing two trees on a noisy machine.

Prints numbers, asserts nothing. Usage (valgrind must be installed):

    python bench/instructions.py                  # this checkout
    python bench/instructions.py --tree /tmp/old  # another tree, e.g. from `git archive`

Wall-clock timings on the shared 2-core development machines swing by a third from run to
run; instruction counts under `valgrind --tool=callgrind` repeat to a few parts in a
thousand, so a change of 1% is visible. The script generates the bench articles
(bench/static.py's generator), then runs one Python process that parses and lints N of them
with the default policy in-process, and another that does everything but the N articles
(imports, the `regex` engine included, policy, parser warm-up); the difference divided by N
is the cost of one article.
`--parse-only` leaves the rules out. Both processes use PYTHONHASHSEED=0 and precompiled
bytecode, so set iteration order and first-import compilation do not add noise.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import static  # noqa: E402  (bench/static.py: the article generator)

WORKLOAD = """
import sys
from pathlib import Path
from adlint.engine import lint_document
from adlint.parse import parse_bytes
from adlint.policy import load_default_policy
import adlint.urls
import regex  # once per process, as in a run: not an article's cost

adlint.urls.preload()
policy = load_default_policy()
rules = policy.rules_for("a.md")
files = sorted(Path(sys.argv[1]).glob("*.md"))[: int(sys.argv[2])]
documents = [parse_bytes(str(f), f.read_bytes()) for f in files]
if sys.argv[3] == "lint":
    for document in documents:
        lint_document(document, rules, policy)
"""


def instructions(tree: Path, corpus: Path, count: int, mode: str) -> int:
    """Instructions callgrind counts for the workload over `count` articles."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(tree)}
    command = [sys.executable, "-c", WORKLOAD, str(corpus), str(count), mode]
    subprocess.run(command, env=env, check=True)  # compile bytecode, warm the file cache
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, default=HERE.parent, help="the adlint tree")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--parse-only", action="store_true", help="leave the rules out")
    options = parser.parse_args()
    mode = "parse" if options.parse_only else "lint"
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch)
        static.generate(corpus, options.articles)
        full = instructions(options.tree, corpus, options.articles, mode)
        base = instructions(options.tree, corpus, 0, mode)
    per_article = (full - base) / options.articles
    what = "parse" if options.parse_only else "parse + lint"
    print(
        f"{options.tree}: {per_article / 1e6:.2f} M instructions per article ({what}, "
        f"{options.articles} articles; {full:,} with them, {base:,} without)"
    )


if __name__ == "__main__":
    main()
