"""`adlint report --check-links`: broken links with status, reason and every file using them.

Only loopback and files on disk are checked; nothing leaves the machine.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from adlint.cli import main


class Handler(BaseHTTPRequestHandler):
    """/ok answers 200; everything else is 404."""

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, Any]:
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "report.json"
    assert main(["report", "site", *args, "--no-cache", "-o", str(output)]) == 0
    return json.loads(output.read_text(encoding="utf-8"))


def write_site(tmp_path: Path, base: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "present.md").write_text("# Here\n", encoding="utf-8")
    (site / "a.md").write_text(
        f"See [gone]({base}/gone), [fine]({base}/ok) and [local](missing.md).\n\n"
        f"Again [gone]({base}/gone) and [home](present.md).\n",
        encoding="utf-8",
    )
    (site / "b.md").write_text(f"Also [gone]({base}/gone).\n", encoding="utf-8")


def test_broken_links_list_status_reason_and_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: str
) -> None:
    write_site(tmp_path, server)
    data = report(tmp_path, monkeypatch, "--check-links", "--allow-private", "--no-progress")
    assert data["links_checked"] is True
    links = {b["url"]: b for b in data["broken_links"]}
    assert set(links) == {f"{server}/gone", "missing.md"}
    gone = links[f"{server}/gone"]
    assert (gone["status"], gone["verdict"], gone["rule"]) == ("404", "broken", "broken-link")
    assert [(u["path"], u["line"]) for u in gone["uses"]] == [
        ("site/a.md", 1),
        ("site/a.md", 3),
        ("site/b.md", 1),
    ]
    assert "no such file" in links["missing.md"]["reason"]


def test_without_check_links_no_request_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path, "http://127.0.0.1:9")  # the discard port: a request would fail
    data = report(tmp_path, monkeypatch)
    assert data["links_checked"] is False and data["broken_links"] == []


def test_html_report_shows_the_broken_url_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: str
) -> None:
    write_site(tmp_path, server)
    monkeypatch.chdir(tmp_path)
    args = ["report", "site", "--check-links", "--allow-private", "--no-cache", "-o", "r.html"]
    assert main(args) == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    section = page[page.index('id="links"') : page.index('id="worst"')]
    assert f'<span class="url mono">{server}/gone</span>' in section
    assert "href=" not in section
