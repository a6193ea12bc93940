"""The HTML report in a real browser: headless Chromium driven over chromedriver's W3C API.

Plain urllib against chromedriver's HTTP endpoints, so no selenium or playwright
dependency. The test asserts what only a browser can tell: no console errors (a CSP
violation would log one), every chart has a rendered size, nothing overflows a phone
screen, and no hostile string ran. It saves a full-page screenshot under tmp_path.
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adlint.report import html
from adlint.report.model import BrokenLink, LinkUse, Report
from tests.report.conftest import run_report

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Chromium and chromedriver (Debian: apt-get install chromium chromium-driver)",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
CHART_SIZES = """return Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const box = svg.getBoundingClientRect();
  return [svg.getAttribute('aria-label'), box.width, box.height];
});"""


class Driver:
    """A chromedriver session: just the W3C endpoints this test needs."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.session = ""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        url = f"{self.base}/session/{self.session}{path}" if self.session else self.base + path
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.read().decode()[:500]}") from None

    def open(self, page: Path) -> None:
        self.call("POST", "/url", {"url": page.as_uri()})

    def run(self, script: str) -> Any:
        return self.call("POST", "/execute/sync", {"script": script, "args": []})

    def console(self) -> list[dict[str, Any]]:
        return self.call("POST", "/se/log", {"type": "browser"})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(driver: Driver, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"chromedriver exited with {process.returncode}")
        try:
            if driver.call("GET", "/status").get("ready"):
                return
        except (OSError, AssertionError):
            pass
        time.sleep(0.1)
    pytest.fail("chromedriver did not become ready in 30 s")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Driver]:
    assert CHROMEDRIVER and CHROMIUM
    port = _free_port()
    process = subprocess.Popen(
        [CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    driver = Driver(port)
    try:
        _wait_ready(driver, process)
        options = {"binary": CHROMIUM, "args": [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]}
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        created = driver.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        driver.session = created["sessionId"]
        driver.call("POST", "/window/rect", {"width": 1280, "height": 1000})
        yield driver
    finally:
        if driver.session:
            with contextlib.suppress(OSError, AssertionError):
                driver.call("DELETE", "")
        process.terminate()
        process.wait(timeout=10)


def _screenshot(driver: Driver, path: Path) -> None:
    """The whole page, not just the viewport (Chrome DevTools via chromedriver's CDP bridge)."""
    shot = driver.call(
        "POST",
        "/goog/cdp/execute",
        {"cmd": "Page.captureScreenshot", "params": {"captureBeyondViewport": True}},
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def _errors(entries: list[dict[str, Any]]) -> list[str]:
    return [e["message"] for e in entries if e.get("level") in ("SEVERE", "ERROR")]


def test_report_renders_cleanly_in_chromium(
    browser: Driver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, _ = run_report(monkeypatch, tmp_path, "report.html")
    assert code == 0
    browser.open(tmp_path / "report.html")
    assert browser.run("return document.title") == "adlint compliance report"
    sizes = browser.run(CHART_SIZES)
    assert len(sizes) == 5
    for label, width, height in sizes:
        assert width > 50 and height > 50, (label, width, height)
    _screenshot(browser, tmp_path / "report.png")
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert _errors(browser.console()) == []


def test_report_fits_a_phone_screen(
    browser: Driver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run_report(monkeypatch, tmp_path, "report.html")
    browser.call("POST", "/window/rect", {"width": 390, "height": 844})
    browser.open(tmp_path / "report.html")
    page, viewport = browser.run(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page <= viewport
    assert all(w > 0 and h > 0 for _, w, h in browser.run(CHART_SIZES))
    _screenshot(browser, tmp_path / "phone.png")
    shot = browser.call("GET", "/screenshot")  # the first screen, as a reader sees it
    (tmp_path / "phone-top.png").write_bytes(base64.b64decode(shot))


def test_hostile_strings_stay_text_in_the_browser(browser: Driver, tmp_path: Path) -> None:
    link = BrokenLink(
        url='javascript:alert(1)//"><img src=x onerror="document.title=\'pwned\'">',
        status="404",
        reason='<script>document.title="pwned"</script>',
        verdict="broken",
        rule="broken-link",
        severity="error",
        final_url="",
        uses=(LinkUse('"><svg onload="document.title=\'pwned\'">.md', 1),),
    )
    report = Report("0", "now", (), 1, 0, {"error": 1}, 0, (), broken_links=(link,))
    page = tmp_path / "hostile.html"
    page.write_text(html.render(report), encoding="utf-8")
    browser.open(page)
    assert browser.run("return document.title") == "adlint compliance report"
    counts = browser.run(
        "return [document.scripts.length, document.images.length,"
        " document.querySelectorAll('[onerror],[onload]').length]"
    )
    assert counts == [0, 0, 0]
    assert _errors(browser.console()) == []
