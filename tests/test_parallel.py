"""Parallel runs, shards and merging never change the output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from adlint.cli import main
from adlint.parallel import WORKER_DIED
from tests.core.fresh import run_adlint

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
SARIF_SCHEMA = (
    Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLES, site / "examples")
    shutil.copytree(FIXTURES, site / "fixtures")
    for number in range(40):
        tag = f"writer{number % 7}-20"
        (site / f"post-{number:02}.md").write_text(
            f"# Post {number}\n\n"
            + "Prose about gear and gadgets. " * number
            + f"\n\n[deal](https://www.amazon.com/dp/B0{number:08}?tag={tag})\n"
            + ('<img src="https://imp.pxf.io/i/1/2/3" width="0" height="0">\n' * (number % 3))
        )
    monkeypatch.chdir(site)
    return site


def run_json(capsys, *argv: str) -> dict:
    main(["check", "--format", "json", *argv])
    return json.loads(capsys.readouterr().out)


def test_one_job_and_two_jobs_give_identical_json(corpus: Path, capsys):
    one = run_json(capsys, "-j1", ".")
    two = run_json(capsys, "-j2", ".")
    assert one == two
    articles = [p for p in corpus.rglob("*") if p.suffix in (".md", ".html")]
    assert one["summary"]["files"] == len(articles) > 40


def test_shards_are_disjoint_and_cover_every_file(corpus: Path, capsys):
    whole = run_json(capsys, "-j1", ".")
    parts = [run_json(capsys, "-j1", "--shard", f"{k}/3", ".") for k in (1, 2, 3)]
    paths = [{f["path"] for f in part["findings"]} for part in parts]
    assert not (paths[0] & paths[1]) and not (paths[1] & paths[2]) and not (paths[0] & paths[2])
    assert sum(part["summary"]["files"] for part in parts) == whole["summary"]["files"]
    assert all(part["summary"]["files"] > 0 for part in parts)


def test_merge_of_shards_equals_the_unsharded_json(corpus: Path, capsys):
    whole = run_json(capsys, "-j1", ".")
    for k in (1, 2, 3):
        main(["check", "--format", "json", "-j1", "--shard", f"{k}/3", "-o", f"s{k}.json", "."])
    assert main(["merge", "s1.json", "s2.json", "s3.json", "-o", "merged.json"]) == 0
    merged = json.loads(Path("merged.json").read_text())
    assert merged["findings"] == whole["findings"]
    assert merged["summary"] == whole["summary"]


def test_merge_of_sarif_shards_recomputes_rule_indexes(corpus: Path, capsys):
    for k in (1, 2):
        main(["check", "--format", "sarif", "-j1", "--shard", f"{k}/2", "-o", f"s{k}.sarif", "."])
    assert main(["merge", "s1.sarif", "s2.sarif", "-o", "merged.sarif", "--fail-on", "error"]) == 1
    run = json.loads(Path("merged.sarif").read_text())["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])


def shards_and_whole(file_format: str, shards: int) -> tuple[list[str], bytes]:
    """Real `--shard K/N` runs writing FILE_FORMAT, and the bytes of one run over everything."""
    names = []
    for k in range(1, shards + 1):
        names.append(f"s{k}.{file_format}")
        argv = ["--format", file_format, "-j1", "--shard", f"{k}/{shards}", "-o", names[-1]]
        main(["check", *argv, "."])
    main(["check", "--format", file_format, "-j1", "-o", f"whole.{file_format}", "."])
    return names, Path(f"whole.{file_format}").read_bytes()


def test_merge_of_four_sarif_shards_is_byte_identical_to_the_unsharded_sarif(corpus: Path):
    names, whole = shards_and_whole("sarif", 4)
    assert main(["merge", *names, "-o", "merged.sarif"]) == 0
    assert Path("merged.sarif").read_bytes() == whole
    results = json.loads(whole)["runs"][0]["results"]
    paths = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert len(paths) > 4  # enough files that every shard has some


def test_merge_of_three_json_shards_is_byte_identical_to_the_unsharded_json(corpus: Path):
    names, whole = shards_and_whole("json", 3)
    assert main(["merge", *reversed(names), "-o", "merged.json"]) == 0
    assert Path("merged.json").read_bytes() == whole
    assert len(json.loads(whole)["findings"]) > 40


def test_merge_of_json_shards_without_findings_is_byte_identical_too(corpus: Path):
    names, whole = shards_and_whole("json", 2)
    for name in names:  # shards of clean files: the findings list is empty
        document = json.loads(Path(name).read_text())
        document["findings"] = []
        Path(name).write_text(json.dumps(document))
    expected = json.loads(whole)
    assert main(["merge", *names, "-o", "merged.json"]) == 0
    merged = Path("merged.json").read_text()
    assert '  "findings": [],\n' in merged
    assert json.loads(merged)["summary"]["files"] == expected["summary"]["files"]


@pytest.mark.parametrize("file_format", ["json", "sarif"])
def test_merge_of_one_report_named_twice_is_a_usage_error(corpus: Path, capsys, file_format):
    names, _ = shards_and_whole(file_format, 2)
    assert main(["merge", names[0], names[1], f"./{names[0]}", "-o", "m.json"]) == 2
    assert capsys.readouterr().err == (
        f"adlint: error: {names[0]}: named twice: its files and findings would be counted twice\n"
    )
    assert not Path("m.json").exists()


@pytest.mark.parametrize("file_format", ["json", "sarif"])
def test_merge_of_overlapping_shards_names_the_file_and_both_inputs(
    corpus: Path, capsys, file_format
):
    names, _ = shards_and_whole(file_format, 2)
    shutil.copy(names[0], f"again.{file_format}")
    assert main(["merge", *names, f"again.{file_format}"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith('adlint: error: "')
    assert f'" is in both {names[0]} and again.{file_format}: shards must not overlap' in err


def test_merge_of_sarif_shards_in_any_order_gives_the_same_run(corpus: Path):
    names, whole = shards_and_whole("sarif", 4)
    assert main(["merge", *reversed(names), "-o", "merged.sarif"]) == 0
    assert Path("merged.sarif").read_bytes() == whole


def test_merge_of_capped_sarif_shards_keeps_what_the_capped_full_run_keeps(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("adlint.formats.sarif.MAX_RESULTS", 30)
    names, whole = shards_and_whole("sarif", 3)
    assert main(["merge", *names, "-o", "merged.sarif"]) == 0
    merged = json.loads(Path("merged.sarif").read_text())
    assert merged == json.loads(whole)
    assert len(merged["runs"][0]["results"]) == 30
    assert merged["runs"][0]["properties"]["droppedResults"] > 0
    if SARIF_SCHEMA.is_file():
        jsonschema.validate(merged, json.loads(SARIF_SCHEMA.read_text()))


def test_merge_of_a_sarif_result_without_a_location_is_a_usage_error(corpus: Path, capsys):
    Path("bad.sarif").write_text(
        '{"runs": [{"tool": {"driver": {"rules": [{"id": "r"}]}}, "results": [{"ruleId": "r"}]}]}'
    )
    assert main(["merge", "bad.sarif"]) == 2
    assert capsys.readouterr().err == (
        "adlint: error: bad.sarif: not an adlint SARIF report: runs[0].results[0].locations is "
        "missing\n"
    )


def test_merge_of_deeply_nested_json_is_a_usage_error_naming_the_file(corpus: Path, capsys):
    Path("deep.json").write_text("[" * 100_000)
    assert main(["merge", "deep.json"]) == 2
    assert (
        capsys.readouterr().err
        == "adlint: error: deep.json: cannot read report: nested too deeply\n"
    )


def test_merged_outputs_never_carry_the_legacy_command_marker(corpus: Path):
    Path("hostile.md").write_text("[x](https://www.amazon.com/dp/B0?tag=a-20&h=##[error]x)\n")
    for file_format in ("json", "sarif"):
        names, _ = shards_and_whole(file_format, 2)
        assert main(["merge", *names, "-o", f"merged.{file_format}"]) == 0
        text = Path(f"merged.{file_format}").read_text()
        assert "##[" not in text and "#\\u0023[error]x" in text


def test_bad_shard_is_a_usage_error(corpus: Path, capsys):
    assert main(["check", "--shard", "4/3", "."]) == 2
    assert "--shard" in capsys.readouterr().err


def run_all_outputs(capsys, jobs: str, *extra: str) -> tuple[int, dict[str, bytes]]:
    """One run writing every format (stdout plus --also files); returns the exit code and bytes."""
    out = Path(f"out-j{jobs}")
    code = main(
        [
            "check",
            f"-j{jobs}",
            "--format",
            "github",
            "--also",
            f"json:{out}/report.json",
            "--also",
            f"text:{out}/report.txt",
            "--output-sarif",
            f"{out}/report.sarif",
            *extra,
            "examples",
            "fixtures",
            ".",
        ]
    )
    written = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    written["stdout"] = capsys.readouterr().out.encode()
    return code, written


def test_one_job_and_two_jobs_write_identical_bytes_in_every_format(corpus: Path, capsys):
    one = run_all_outputs(capsys, "1")
    two = run_all_outputs(capsys, "2")
    assert one == two
    code, written = one
    assert code == 1 and set(written) == {"report.json", "report.sarif", "report.txt", "stdout"}
    assert written["stdout"].startswith(b"::")


def test_one_job_and_two_jobs_agree_under_a_baseline(corpus: Path, capsys):
    assert main(["baseline", "-j2", "-o", "baseline.json", "examples"]) == 0
    capsys.readouterr()
    one = run_all_outputs(capsys, "1", "--baseline", "baseline.json")
    two = run_all_outputs(capsys, "2", "--baseline", "baseline.json")
    assert one == two
    findings = json.loads(one[1]["report.json"])["findings"]
    baselined = [f for f in findings if f.get("suppressed") == "baseline"]
    accepted = json.loads(Path("baseline.json").read_text())["count"]
    assert len(baselined) == accepted > 0
    assert all(f["path"].startswith("examples/") for f in baselined)


def test_report_from_one_job_and_two_jobs_is_identical(corpus: Path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for jobs in ("1", "2"):
        assert main(["report", f"-j{jobs}", "--format", "json", "-o", f"r{jobs}.json", "."]) == 0
    one, two = Path("r1.json").read_text(), Path("r2.json").read_text()
    assert one == two
    files = json.loads(one)["summary"]["files"]
    assert files == run_json(capsys, "-j1", ".")["summary"]["files"]


def test_a_run_with_one_file_to_lint_starts_no_worker_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    """Forking a pool costs more than linting one file; any attempt to start one fails."""
    import multiprocessing

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(multiprocessing, "get_context", no_pool)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("[deal](https://www.amazon.com/dp/B01?tag=me-20)\n")
    report = run_json(capsys, "-j2", "--no-cache", "a.md")
    assert report["summary"]["by_rule"]["affiliate-link"] == 1
    (tmp_path / "b.md").write_text("text\n")
    with pytest.raises(AssertionError, match="worker pool"):  # two files do start one
        run_json(capsys, "-j2", "--no-cache", "a.md", "b.md")


def test_a_worker_killed_mid_file_costs_that_file_only_and_the_run_goes_on(corpus: Path, capsys):
    """The system kills the worker linting slow.md (here for its CPU time, as the
    out-of-memory killer would for its memory). The pool breaks and every chunk in flight
    fails with it: their files are linted again one by one, slow.md is killed again alone
    and becomes a parse-error, and every other file gets its usual findings. (With
    multiprocessing.Pool the lost chunk was awaited for ever: this run hit the timeout.)"""
    expected = run_json(capsys, "-j1", "--no-cache", ".")["findings"]
    line = 'Text [a](https://example.com/{0}) <img src="https://t.example/p.gif?{0}" width=1>.\n\n'
    (corpus / "slow.md").write_text("".join(line.format(n) for n in range(40_000)))

    run = run_adlint(
        corpus, "check", "-j2", "--no-cache", "--format", "json", ".", cpu_seconds=2, timeout=120
    )

    assert run.returncode == 1, run.stderr
    findings = json.loads(run.stdout)["findings"]
    assert [f for f in findings if f["path"] != "slow.md"] == expected
    died = [f for f in findings if f["path"] == "slow.md"]
    assert [(f["rule"], f["line"], f["column"]) for f in died] == [("parse-error", 1, 1)]
    assert WORKER_DIED in died[0]["message"]


def test_forked_workers_use_the_parents_policy_without_reading_it_again(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    """A worker that read the config again would cost its start-up time, and would lint with
    a different policy if the config changed during the run: here reading it in a worker
    fails, and every file would become a parse-error."""
    import os

    import adlint.config

    parent, load = os.getpid(), adlint.config.load_config

    def parent_only(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("a worker read the policy again")
        return load(*args, **kwargs)

    monkeypatch.setattr(adlint.config, "load_config", parent_only)
    one = run_json(capsys, "-j1", "--no-cache", ".")
    two = run_json(capsys, "-j2", "--no-cache", ".")
    assert one == two
    assert one["summary"]["files"] > 40
    assert not [f for f in two["findings"] if WORKER_DIED in f["message"]]
