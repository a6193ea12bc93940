"""`allowlist`: a captured value (affiliate ID, ad client) must be one the publisher owns.

What it checks:
    For each element matching `select`, the captured field named by `value` must be in
    `allow`, or (for ad clients) be authorised by the publisher's ads.txt file. When neither
    `allow` nor `ads_txt` is configured the rule has nothing to compare with and is silent:
    a foreign ID can only be recognised once the publisher says which IDs are theirs.

Options:
    select: the elements carrying the value; required.
    value: the captured field to check (e.g. `affiliate_id`, `client`); required.
    allow: accepted values; `network_id:value` entries apply to one network only. Values
        compare exactly, case included (AdSense `ca-pub-`/`pub-` IDs in any case).
    ads_txt: path to an ads.txt file (relative to the policy file that names it).
    ads_txt_system: the ad system domain whose records count (default `google.com`).
    at: `url` (default; each matching URL, `data-src`, `poster` and srcset candidates
        included) or `element` (once per element).

Message fields:
    tag, url, host, domain, the selector's captures, `value` (the checked value) and
    `source` (what it was checked against).

Example:
    affiliate-id-unknown:
      kind: allowlist
      severity: error
      message: "{network} affiliate ID {value} is not one of ours"
      select: {affiliate: true}
      value: affiliate_id
      allow: ["108875", "impact:5597632"]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from adlint.finding import Hit
from adlint.kinds import ELEMENT_FIELDS, RuleContext, element_hit, selected_for

if TYPE_CHECKING:
    from adlint.document import Document
    from adlint.select import Selector

_ADS_TXT_RECORD = re.compile(r"^\s*([^,#\s]+)\s*,\s*([^,#\s]+)\s*,\s*(DIRECT|RESELLER)", re.I)


def parse_ads_txt(text: str, system: str) -> frozenset[str]:
    """Publisher IDs that an ads.txt authorises for one ad system (IAB ads.txt 1.1)."""
    ids = set()
    for line in text.splitlines():
        record = _ADS_TXT_RECORD.match(line)
        if record and record.group(1).lower() == system.lower():
            ids.add(_bare(record.group(2)))
    return frozenset(ids)


_PUBLISHER_ID = re.compile(r"(?:ca-)?((?:host-)?pub-\d{1,20})", re.I)


def _bare(value: str) -> str:
    """A value as compared. AdSense markup says `ca-pub-…` and ads.txt `pub-…`, in any case:
    those compare without `ca-` and lower-cased. Everything else compares exactly, since
    IDs can differ in case alone: Rakuten's 11-character publisher IDs are case-sensitive,
    and a foreign `lMh2Xiq9xN0` must not pass for our `lmh2xiq9xn0`."""
    value = value.strip()
    publisher = _PUBLISHER_ID.fullmatch(value)
    return publisher.group(1).lower() if publisher else value


def _entry(entry: str) -> str:
    """An `allow` entry as compared: `network_id:value` keeps its network id lower-cased."""
    network, colon, value = entry.partition(":")
    if colon and network.strip() and not _PUBLISHER_ID.fullmatch(entry.strip()):
        return f"{network.strip().lower()}:{_bare(value)}"
    return _bare(entry)


@dataclass(frozen=True)
class Allowlist:
    """Flag captured values that are neither allowed nor in ads.txt."""

    select: Selector
    value: str
    allow: tuple[str, ...] = ()
    ads_txt: str | None = None
    ads_txt_system: str = "google.com"
    at: str = "url"
    ads_txt_ids: frozenset[str] | None = None
    """Filled by the policy loader from `ads_txt`; not a YAML option."""

    name: ClassVar[str] = "allowlist"
    fields: ClassVar[tuple[str, ...]] = (*ELEMENT_FIELDS, "value", "source")
    captures: ClassVar[bool] = True
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"at": ("url", "element")}
    internal: ClassVar[tuple[str, ...]] = ("ads_txt_ids",)

    def check(self, document: Document, context: RuleContext) -> Iterator[Hit]:
        if not self.allow and self.ads_txt_ids is None:
            return
        allowed = {_entry(a) for a in self.allow}
        for element, captured in selected_for(context, self.select, self.at):
            if not captured.get(self.value):
                continue
            value = str(captured[self.value])
            scoped = f"{str(captured.get('network_id', '')).lower()}:{_bare(value)}"
            if _bare(value) in allowed or scoped in allowed:
                continue
            if self.ads_txt_ids is not None and _bare(value) in self.ads_txt_ids:
                continue
            source = "the allowlist" if self.allow else ""
            if self.ads_txt_ids is not None:
                source = f"{source} or ads.txt" if source else "ads.txt"
            hit = element_hit(element, captured, self.at)
            yield Hit(hit.start, hit.end, {**hit.data, "value": value, "source": source})
