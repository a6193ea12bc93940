"""The density histogram bins every file by the ad-density rule's own measure, flagged or not.

Before, only flagged files were binned by the rule's count: a page whose ads sat in a sidebar
was binned by all its units over all its words, landing over the limit though the rule (which
leaves navigation out) passed it. Real files, through `adlint report` as users run it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adlint.cli import main
from adlint.policy import load_default_policy

UNIT = '<ins class="adsbygoogle" data-ad-client="ca-pub-1234567890123456" data-ad-slot="1"></ins>'
PARAGRAPHS = 6
WORDS_EACH = 50


def prose() -> str:
    return "\n".join(
        "<p>" + " ".join(f"w{p}x{i}" for i in range(WORDS_EACH)) + "</p>" for p in range(PARAGRAPHS)
    )


def prose_around(units: str) -> str:
    """The prose with `units` before its last paragraph: inside the main content, not below
    it, where the Better Ads Standards (and the height share) do not count ads."""
    paragraphs = prose().split("\n")
    return "\n".join([*paragraphs[:-1], units, paragraphs[-1]])


SIDEBAR = (
    "<html><body>\n<aside>Sponsored picks\n"
    + f"{UNIT}\n" * 3
    + f"</aside>\n<main>\n{prose()}\n{UNIT}\n</main>\n</body></html>\n"
)
"""Three units in the sidebar, one in 300 words of main content."""


def density_rule() -> Any:
    [rule] = [r for r in load_default_policy().rules if r.id == "ad-density"]
    return rule.kind


def report(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code = main(["report", str(tmp_path / "site"), "--no-config", "--format", "json", *extra])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)["ad_density"]


def bin_of(density: dict[str, Any], units: int, words: int) -> str:
    rate = units * 1000 / words
    [label] = [
        b["label"]
        for b in density["histogram"]
        if b["low"] is not None and b["low"] < rate and (b["high"] is None or rate <= b["high"])
    ]
    return label


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ADLINT_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    site.mkdir()
    return site


def test_sidebar_ads_do_not_put_a_passing_page_over_the_limit(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "sidebar.html").write_text(SIDEBAR, encoding="utf-8")
    kind = density_rule()
    main_words = PARAGRAPHS * WORDS_EACH
    assert 1000 / main_words <= kind.max_per_1000_words < 4000 / main_words  # the point
    density = report(tmp_path, capsys, "--no-cache")
    files = {b["label"]: b["files"] for b in density["histogram"] if b["files"]}
    assert files == {bin_of(density, 1, main_words): 1}
    assert density["over_threshold"] == [] and density["unmeasured"] == 0


def test_a_page_too_short_to_measure_is_left_out_and_counted(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    min_words = density_rule().min_words
    (site / "short.md").write_text("A few words only.\n\n" + UNIT + "\n", encoding="utf-8")
    (site / "plain.md").write_text("No ads here.\n", encoding="utf-8")
    density = report(tmp_path, capsys, "--no-cache")
    files = {b["label"]: b["files"] for b in density["histogram"] if b["files"]}
    assert files == {"no ads": 1}
    assert (density["unmeasured"], density["min_words"]) == (1, min_words)
    note = f"1 file with ads but fewer than {min_words} words is not charted"
    code = main(["report", str(site), "--no-config", "--no-cache", "-o", str(tmp_path / "r.md")])
    assert code == 0 and note in (tmp_path / "r.md").read_text(encoding="utf-8")
    code = main(["report", str(site), "--no-config", "--no-cache", "-o", str(tmp_path / "r.html")])
    assert code == 0 and note in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_a_warm_report_bins_from_the_cached_measure(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "sidebar.html").write_text(SIDEBAR, encoding="utf-8")
    (site / "short.md").write_text("A few words only.\n\n" + UNIT + "\n", encoding="utf-8")
    cold = report(tmp_path, capsys)
    assert list((tmp_path / "cache").iterdir())  # the cold run filled the cache
    warm = report(tmp_path, capsys)
    assert warm == cold
    assert sum(b["files"] for b in warm["histogram"]) == 1 and warm["unmeasured"] == 1


def test_a_page_over_the_height_share_shows_it_in_every_format(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three 250 px units in 300 words of six paragraphs: 750 px of ads over 960 px of
    text (300 words at 7.5 a 24 px line) and 6 x 16 px between paragraphs."""
    units = "\n".join(UNIT.replace("<ins ", '<ins style="height:250px" ') for _ in range(3))
    (site / "heavy.html").write_text(
        f"<html><body><main>{prose_around(units)}</main></body></html>\n", encoding="utf-8"
    )
    share = round(100 * 750 / (750 + 300 / 7.5 * 24 + 6 * 16))
    [flag] = report(tmp_path, capsys, "--no-cache")["over_threshold"]
    assert "height_share" in flag["measures"] and flag["height_share"] == share
    code = main(["report", str(site), "--no-config", "--no-cache", "-o", str(tmp_path / "r.html")])
    assert code == 0 and f'<td class="num">~{share}%</td>' in (tmp_path / "r.html").read_text()


def test_the_height_histogram_bins_every_measured_file_by_its_height_share(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = UNIT.replace("<ins ", '<ins style="height:100px" ')
    (site / "light.html").write_text(
        f"<html><body><main>{prose_around(unit)}</main></body></html>\n", encoding="utf-8"
    )
    (site / "plain.md").write_text(" ".join(["word"] * 200) + "\n", encoding="utf-8")
    share = 100 * 100 / (100 + 300 / 7.5 * 24 + 6 * 16)  # 9.4%: one 100 px unit
    density = report(tmp_path, capsys, "--no-cache")
    assert (density["height_threshold"], density["screen_width"]) == (30.0, 360)
    files = {b["label"]: b["files"] for b in density["height_histogram"] if b["files"]}
    [label] = [
        b["label"]
        for b in density["height_histogram"]
        if b["low"] is not None and b["low"] < share <= (b["high"] or 100)
    ]
    assert files == {"no ads": 1, label: 1} and label == "0–10%"
    assert [b["over"] for b in density["height_histogram"]] == [False] * 4 + [True] * 4
