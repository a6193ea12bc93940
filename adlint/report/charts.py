"""Inline SVG charts drawn by adlint: no charting library, no script, no external request.

Each function returns one `<svg class="chart">` with a viewBox (so it scales to any
width), a <title> for screen readers and tooltips, and CSS classes instead of colours, so
the page's stylesheet decides the palette for light, dark and print. Every label is
escaped: rule ids and network names can come from user policy files.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from adlint.formats import counted

if TYPE_CHECKING:
    from adlint.report.model import DensityBin

WIDTH = 640
MAX_LABEL = 30


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: an active part and a suppressed part."""

    label: str
    value: int
    tone: str
    """A fill class suffix: error, warning, info, ok, muted, accent."""
    extra: int = 0
    """Drawn after `value` in the muted tone (suppressed findings)."""


def _svg(name: str, width: int, height: int, title: str, body: str, extra: str = "") -> str:
    return (
        f'<svg class="chart {name}{extra}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _clip(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def donut(part: int, total: int, title: str) -> str:
    """A ring showing part/total with the percentage in the middle."""
    radius, stroke = 48, 16
    circumference = 2 * math.pi * radius
    share = part / total if total else 1.0
    filled = circumference * share
    body = (
        f'<circle cx="60" cy="60" r="{radius}" fill="none" class="stroke-track" '
        f'stroke-width="{stroke}"/>'
        f'<circle cx="60" cy="60" r="{radius}" fill="none" class="stroke-ok" '
        f'stroke-width="{stroke}" stroke-dasharray="{filled:.2f} {circumference:.2f}" '
        f'transform="rotate(-90 60 60)"/>'
        f'<text x="60" y="64" text-anchor="middle" class="big">{share:.0%}</text>'
        f'<text x="60" y="82" text-anchor="middle" class="muted">{part} of {total}</text>'
    )
    return _svg("donut", 120, 120, title, body)


def bars(rows: Sequence[Bar], title: str, *, label_width: int = 210) -> str:
    """Horizontal bars, one per row, scaled to the largest total; counts at the bar ends."""
    if not rows:
        return ""
    row_height, top = 26, 6
    largest = max(r.value + r.extra for r in rows) or 1
    span = WIDTH - label_width - 60
    parts = []
    for index, row in enumerate(rows):
        y = top + index * row_height
        width = span * row.value / largest
        extra = span * row.extra / largest
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(row.label)}</title>{escape(_clip(row.label))}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{max(width, 1.5):.1f}" height="16" '
            f'rx="3" class="fill-{row.tone}"/>'
        )
        if row.extra:
            parts.append(
                f'<rect x="{label_width + width:.1f}" y="{y + 3}" width="{extra:.1f}" '
                f'height="16" rx="3" class="fill-muted" opacity="0.6"/>'
            )
        count = f"{row.value}" + (f" +{row.extra} suppressed" if row.extra else "")
        parts.append(
            f'<text x="{label_width + width + extra + 6:.1f}" y="{y + 15}" class="muted">'
            f"{count}</text>"
        )
    height = top * 2 + row_height * len(rows)
    return _svg("bars", WIDTH, height, title, "".join(parts))


def histogram(
    bins: Sequence[DensityBin],
    threshold: float | None,
    title: str,
    axis: str = "ad units per 1,000 words",
    unit: str = "",
) -> str:
    """Vertical bars of files per density bin; bins over the threshold in the warning tone.
    `axis` names the measure under the bars, `unit` follows the limit's value."""
    if not bins:
        return ""
    height, base, left = 230, 180, 36
    top = 40
    """Where the tallest bar ends: its count sits above it, the limit's label above that,
    so neither is drawn over a bar (a label inside the plot covered the tallest one)."""
    slot = (WIDTH - left - 8) / len(bins)
    largest = max(b.files for b in bins) or 1
    parts = [
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 8}" y2="{base}" class="stroke-track" '
        f'stroke-width="1"/>'
    ]
    limit_x = None
    for index, item in enumerate(bins):
        x = left + index * slot
        bar = (base - top) * item.files / largest
        tone = "muted" if item.low is None else ("warning" if item.over else "accent")
        if item.over and limit_x is None:
            limit_x = x
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - bar:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{max(bar, 0):.1f}" rx="3" class="fill-{tone}">'
            f"<title>{escape(item.label)}: {counted(item.files, 'file')}</title></rect>"
            f'<text x="{x + slot / 2:.1f}" y="{base - bar - 5:.1f}" text-anchor="middle">'
            f"{item.files}</text>"
            f'<text x="{x + slot / 2:.1f}" y="{base + 16}" text-anchor="middle" class="muted">'
            f"{escape(item.label)}</text>"
        )
    if limit_x is not None and threshold is not None:
        parts.append(
            f'<line x1="{limit_x:.1f}" y1="4" x2="{limit_x:.1f}" y2="{base}" '
            f'class="stroke-limit" stroke-width="1.5"/>'
            f'<text x="{limit_x + 4:.1f}" y="14" class="muted">limit {threshold:g}{unit}</text>'
        )
    parts.append(
        f'<text x="{WIDTH / 2:.0f}" y="{height - 8}" text-anchor="middle" class="muted">'
        f"{escape(axis)}</text>"
    )
    return _svg("histogram", WIDTH, height, title, "".join(parts))
