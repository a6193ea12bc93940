"""Hostile article content never injects into `adlint check` outputs (issue 7).

Real articles with hostile file names, titles, URLs and link text are written to disk and
linted through `main()`, as a user would. Each output is then read the way its consumer
reads it: the GitHub runner parses workflow commands line by line, a terminal obeys escape
sequences, code scanning validates SARIF and resolves URIs, GitHub renders the step summary
as Markdown with inline HTML. One lint pass writes every format (`--also`), so the formats
can be compared with each other: nothing may be lost, nothing may be added.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, example, given, settings

from adlint.cli import main
from tests.formats.hostile import (
    Article,
    assert_inert_markdown,
    shown,
    sites,
    workspace,
    write_site,
)

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
HOSTILE = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMMAND = re.compile(r"::(error|warning|notice) ([^:\r\n]*)::([^\r\n]*)")
LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
WORST = Article(
    name=b"a,b:c%\n::error::x <script>#?\xff.md",
    title="</title><script>alert(1)</script>",
    tag="ev%0A::error::forged\n::set-output name=x::y",
    link_text="\x1b[2J\x9b31m\u202eevil",
    html=False,
    ascii_title=True,
    broken_utf8=False,
)
"""Every kind of hostile value at once; also an explicit example for each property."""


@dataclass(frozen=True)
class Outputs:
    """Every format from one `adlint check` run over the same files."""

    github: str
    json: dict[str, Any]
    sarif: dict[str, Any]
    text: str
    summary: str
    paths: list[bytes]

    @property
    def active(self) -> list[dict[str, Any]]:
        return [f for f in self.json["findings"] if "suppressed" not in f]


def check(site: list[Article], *extra: str) -> Outputs:
    """Lint the site once, writing github (plus the step summary), JSON, SARIF and text."""
    with workspace(GITHUB_STEP_SUMMARY="summary.md") as root:
        paths = write_site(root / "site", site)
        argv = ["check", "-j", "1", "--no-config", "--format", "github", "-o", "out/github"]
        argv += ["--also", "json:out/json", "--also", "sarif:out/sarif"]
        argv += ["--also", "text:out/text", *extra, "site"]
        assert main(argv) in (0, 1)

        def read(name: str) -> str:
            return (root / name).read_bytes().decode("utf-8")  # strict: must be UTF-8

        return Outputs(
            github=read("out/github"),
            json=json.loads(read("out/json")),
            sarif=json.loads(read("out/sarif")),
            text=read("out/text"),
            summary=read("summary.md"),
            paths=paths,
        )


def unescape(value: str, mappings: tuple[tuple[str, str], ...]) -> str:
    """Undo workflow-command escaping exactly as the runner does (replacement → token, in
    its mapping order), so the test decodes what GitHub would show."""
    for token, replacement in mappings:
        value = value.replace(replacement, token)
    return value


DATA = (("\r", "%0D"), ("\n", "%0A"), ("%", "%25"))
PROPERTY = (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25"))


def annotations(github: str) -> list[tuple[str, dict[str, str], str]]:
    """Parse annotation lines into (command, properties, message), decoded."""
    assert "\r" not in github
    parsed = []
    for line in github.split("\n")[:-1]:  # the runner splits on LF only, not U+2028
        match = COMMAND.fullmatch(line)
        assert match, f"not a single annotation: {line!r}"
        pairs = (item.split("=", 1) for item in match[2].split(","))
        properties = {key: unescape(value, PROPERTY) for key, value in pairs}
        parsed.append((match[1], properties, unescape(match[3], DATA)))
    return parsed


def printable(value: str) -> str:
    """What a terminal or a job log may be shown of article text: printable characters
    only, and no `##[` (the Actions runner's legacy command syntax, honoured anywhere in a
    log line)."""
    return "".join(c if c.isprintable() else "\ufffd" for c in value).replace("##[", "# #[")


@HOSTILE
@given(sites)
@example([WORST])
def test_github_annotations_decode_to_exactly_the_json_findings_made_printable(
    site: list[Article],
):
    outputs = check(site)
    assert all(c == "\n" or c.isprintable() for c in outputs.github)
    assert "##[" not in outputs.github
    decoded = annotations(outputs.github)
    assert len(decoded) == len(outputs.active)
    for (command, properties, message), finding in zip(decoded, outputs.active, strict=True):
        assert command == LEVELS[finding["severity"]]
        assert properties["file"] == printable(finding["path"])
        assert properties["line"] == str(finding["line"])
        assert properties["title"] == f"adlint {finding['rule']}"
        assert message == printable(finding["message"])


@HOSTILE
@given(sites)
@example([WORST])
def test_json_paths_name_the_written_files(site: list[Article]):
    outputs = check(site)
    expected = {shown(path) for path in outputs.paths}
    findings = outputs.json["findings"]
    assert {f["path"] for f in findings} <= expected
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in findings]
    assert keys == sorted(keys)


@cache
def sarif_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        pytest.skip(f"SARIF schema not found at {SCHEMA} (shared/schemas is outside the repo)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})+")
"""A relative-path reference (RFC 3986 §4.2): unreserved, sub-delims, `@`, `/` and
percent-escapes only; no `:` (it would make the first segment a scheme), `?`, `#` or space."""


@HOSTILE
@given(sites)
@example([WORST])
def test_sarif_validates_and_uris_decode_to_the_json_paths(site: list[Article]):
    outputs = check(site)
    sarif_validator().validate(outputs.sarif)
    results = outputs.sarif["runs"][0]["results"]
    assert len(results) == len(outputs.json["findings"])
    for result, finding in zip(results, outputs.json["findings"], strict=True):
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert URI_REFERENCE.fullmatch(uri) and not uri.startswith("/")
        assert unquote(uri, errors="strict") == finding["path"]
        assert result["message"]["text"] == (finding["message"] or finding["rule"])
        assert (result["ruleId"], location["region"]["startLine"]) == (
            finding["rule"],
            finding["line"],
        )


FINDING_LINE = re.compile(r"  (\d+):(\d+) +(error|warning|info) +(.*)  (\S+)")


@HOSTILE
@given(sites)
@example([WORST])
def test_text_output_has_no_control_characters(site: list[Article]):
    outputs = check(site)
    assert all(c == "\n" or c.isprintable() for c in outputs.text)
    assert "##[" not in outputs.text
    rows = [m for m in map(FINDING_LINE.fullmatch, outputs.text.split("\n")) if m]
    assert len(rows) == len(outputs.active)
    for row, finding in zip(rows, outputs.active, strict=True):
        assert row[4] == printable(finding["message"]) and row[5] == finding["rule"]


def test_text_color_always_adds_only_colour_escapes():
    outputs = check([WORST], "--color", "always")
    assert "\x1b" not in outputs.text  # --also outputs are never coloured
    with workspace() as root:
        write_site(root / "site", [WORST])
        assert main(["check", "-j", "1", "--no-config", "--color", "always", "-o", "t", "site"])
        coloured = (root / "t").read_text(encoding="utf-8")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert "\x1b" in coloured and all(c == "\n" or c.isprintable() for c in plain)


def test_text_color_never_has_no_escape_at_all():
    with workspace() as root:
        write_site(root / "site", [WORST])
        main(["check", "-j", "1", "--no-config", "--color", "never", "-o", "t", "site"])
        assert "\x1b" not in (root / "t").read_text(encoding="utf-8")


SUMMARY_TAGS = {"h2", "p", "strong", "table", "thead", "tbody", "tr", "th", "td"}


@HOSTILE
@given(sites)
@example([WORST])
def test_step_summary_is_inert_markdown(site: list[Article]):
    outputs = check(site)
    assert_inert_markdown(outputs.summary, SUMMARY_TAGS)


# Pinned outputs: the escaping of one fixed hostile input, written out by hand.

PINNED = "Shop [x](https://www.amazon.com/dp/B0?tag=a%0A::error::x,y) now.\n"


def pinned(format_name: str, name: str = "a,b:c%.md") -> str:
    with workspace() as root:
        (root / name).write_text(PINNED, encoding="utf-8")
        argv = ["check", "-j", "1", "--no-config", "--format", format_name, "-o", "out", name]
        main(argv)
        return (root / "out").read_text(encoding="utf-8")


def test_github_pinned_line_escapes_file_and_message():
    lines = pinned("github").splitlines()
    assert lines[0] == (
        "::warning file=a%2Cb%3Ac%25.md,line=1,endLine=1,col=6,endColumn=59,"
        "title=adlint affiliate-rel-missing::Amazon Associates affiliate link without "
        'rel="sponsored" (Markdown link syntax cannot carry rel: use an HTML <a>, or set rel '
        "in your renderer): https://www.amazon.com/dp/B0?tag=a%250A::error::x,y"
    )


def test_sarif_pinned_uri_is_percent_encoded():
    [first, *_] = json.loads(pinned("sarif"))["runs"][0]["results"]
    location = first["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "a%2Cb%3Ac%25.md", "uriBaseId": "%SRCROOT%"}


def test_json_pinned_keeps_path_and_url_verbatim():
    [first, *_] = json.loads(pinned("json"))["findings"]
    assert first["path"] == "a,b:c%.md"
    assert first["data"]["url"] == "https://www.amazon.com/dp/B0?tag=a%0A::error::x,y"


def test_text_pinned_replaces_controls_in_the_file_name():
    text = pinned("text", "a\x1b[2J\u202eb.md")
    assert text.splitlines()[0] == "a\ufffd[2J\ufffdb.md"


def test_step_summary_pinned_escapes_pipes_and_markup():
    with workspace(GITHUB_STEP_SUMMARY="summary.md") as root:
        (root / "a|b<i>.md").write_text(PINNED, encoding="utf-8")
        main(["check", "-j", "1", "--no-config", "--format", "github", "-o", "out", "a|b<i>.md"])
        summary = (root / "summary.md").read_text(encoding="utf-8")
    assert "| a\\|b\\<i\\>.md | 2 |" in summary.splitlines()


def test_step_summary_never_autolinks_a_www_file_name():
    """GitHub links `www.host` at a word start, and a top-level file's path starts its cell."""
    with workspace(GITHUB_STEP_SUMMARY="summary.md") as root:
        (root / "www.tracker.example.md").write_text(PINNED, encoding="utf-8")
        argv = ["check", "-j", "1", "--no-config", "--format", "github", "-o", "out"]
        main([*argv, "www.tracker.example.md"])
        summary = (root / "summary.md").read_text(encoding="utf-8")
    assert_inert_markdown(summary, SUMMARY_TAGS)


@pytest.mark.parametrize("format_name", ["github", "json", "sarif", "text"])
def test_stdout_is_strict_utf8_with_an_undecodable_file_name(format_name: str):
    """Under a strict UTF-8 stdout (PYTHONIOENCODING, as on many CI runners) a name with a
    byte that is not UTF-8 must not crash the run or leak the raw byte."""
    with workspace() as root:
        write_site(root / "site", [WORST])
        environment = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
        argv = [sys.executable, "-m", "adlint", "check", "-j", "1", "--no-config"]
        done = subprocess.run(
            [*argv, "--format", format_name, "site"], capture_output=True, env=environment
        )
    assert (done.returncode, done.stderr) == (1, b"")
    output = done.stdout.decode("utf-8")  # strict: no raw \xff byte leaked
    if format_name == "json":
        paths = {f["path"] for f in json.loads(output)["findings"]}
        assert paths == {"site/a,b:c%\n::error::x <script>#?\\xff-0.md"}
