"""Parsed policy YAML remembered between runs, so a warm run neither loads nor runs PyYAML.

Building the policy parses the default policy, the network catalogue and any project
config on every run: with PyYAML's import that is ~30 ms, a sixth of a fully cached
`adlint check`. The memo keeps each parsed document as JSON, keyed by a digest of its text
and of the code that parses it (codedigest.py), in `<cache dir>/yaml-v1/`.

Only the parse is skipped: what comes back goes through the same validation as freshly
parsed YAML. Documents whose shape JSON cannot hold exactly (timestamps, binary, sets) are
never stored; nodes shared by aliases are stored once and shared again when decoded. A
stored value that does not decode to such a tree, or that would expand past the alias-bomb
limit, is a miss. Writes are held until the run knows the cache is wanted (`flush`), so
`--no-cache` and `cache: false` leave nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from adlint.yamlfile import MAX_EXPANDED_NODES, LineDict

FORMAT = 1
"""Bump when the stored shape changes."""
_KEEP_SECONDS = 30 * 86_400
"""Entries unused this long are deleted (every edit of a policy file leaves one behind)."""
_TOUCH_SECONDS = 86_400
"""A hit refreshes its entry's mtime at most this often."""
_SCALARS = (str, int, float, bool, type(None))
_KEYS = (str, int, float, bool)
MISSING: Any = object()
"""`get`'s answer when the text has no usable entry."""


class Unstorable(ValueError):
    """The parsed document holds something JSON would not give back as it was."""


class YamlMemo:
    """Parsed documents in `directory`; nothing on disk changes before `flush`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"yaml-v{FORMAT}"
        self._pending: dict[Path, str] = {}

    def get(self, text: str) -> Any:
        """A fresh copy of the document parsed from `text`, or MISSING."""
        path = self._path_of(text)
        try:
            with path.open("rb") as handle:
                stored = handle.read(_size_limit(text) + 1)
            if len(stored) > _size_limit(text):
                return MISSING
            value = decode(json.loads(stored))
            if time.time() - os.stat(path).st_mtime > _TOUCH_SECONDS:
                os.utime(path)
        except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError):
            return MISSING
        return value

    def put(self, text: str, document: Any) -> None:
        """Remember `document`, parsed from `text` (encoded now: callers may change it)."""
        try:
            stored = json.dumps(encode(document), separators=(",", ":"))
        except (Unstorable, RecursionError):  # RecursionError: nested past what JSON takes
            return
        if len(stored) <= _size_limit(text):
            self._pending[self._path_of(text)] = stored

    def flush(self) -> None:
        """Write the pending entries and delete stale ones; a cache that cannot be written is
        simply not used (the result cache reports an unusable cache directory)."""
        if not self._pending:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for path, stored in self._pending.items():
                partial = path.with_suffix(f".{os.getpid()}.tmp")
                partial.write_text(stored, encoding="utf-8")
                os.replace(partial, path)
            self._prune()
        except OSError:
            pass
        self._pending.clear()

    def _prune(self) -> None:
        cutoff = time.time() - _KEEP_SECONDS
        for entry in os.scandir(self.directory):
            if entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)

    def _path_of(self, text: str) -> Path:
        from adlint.codedigest import code_digest

        hasher = hashlib.blake2b(digest_size=20)
        hasher.update(code_digest().encode() + b"\0")
        hasher.update(text.encode("utf-8", "surrogatepass"))
        return self.directory / f"{hasher.hexdigest()}.json"


def _size_limit(text: str) -> int:
    """An entry is a few times its text at most (keys carry their lines): anything larger
    was not written by `put` and is not read."""
    return 8 * len(text) + 1024


def encode(document: Any) -> Any:
    """JSON for a parsed document. A mapping is {"l": line, "k": [[key, line, value], ...]}
    (JSON object keys are strings only; YAML's may be numbers), a sequence a JSON array. A
    node that aliases share is stored once with {"a": n} and then referred to as {"r": n},
    so the decoded document shares it the same way."""
    uses: dict[int, int] = {}
    _count_uses(document, uses)
    anchors: dict[int, int] = {}

    def walk(node: Any) -> Any:
        if type(node) in _SCALARS:
            return node
        if id(node) in anchors:
            return {"r": anchors[id(node)]}
        if type(node) is LineDict and hasattr(node, "key_lines"):
            pairs = [[key, node.key_lines[key], walk(value)] for key, value in node.items()]
            stored: dict[str, Any] = {"l": node.line, "k": pairs}
        elif type(node) is list:
            stored = {"s": [walk(item) for item in node]}
        else:
            raise Unstorable(f"{type(node).__name__} values are not stored")
        if uses[id(node)] > 1:
            anchors[id(node)] = stored["a"] = len(anchors)
        return stored if "a" in stored or type(node) is LineDict else stored["s"]

    return walk(document)


def _count_uses(node: Any, uses: dict[int, int]) -> None:
    """How often each container is reached (more than once: an alias shares it)."""
    if type(node) not in (LineDict, list):
        return  # a scalar, or a value `encode` refuses
    uses[id(node)] = uses.get(id(node), 0) + 1
    if uses[id(node)] == 1:
        for child in node.values() if isinstance(node, dict) else node:
            _count_uses(child, uses)


def decode(stored: Any) -> Any:
    """The inverse of `encode`; ValueError for anything `encode` would not have written,
    including a document that would expand past yamlfile's alias-bomb limit."""
    return _Decoder().node(stored)


class _Decoder:
    """Rebuilds a document, counting its nodes as if every alias were expanded (a reference
    adds the size of the node it names, without expanding it)."""

    def __init__(self) -> None:
        self.anchors: dict[int, tuple[Any, int]] = {}
        self.expanded = 0

    def node(self, node: Any) -> Any:
        if type(node) in _SCALARS:
            self._count(1)
            return node
        if type(node) is list:
            return self._sequence(node)
        if type(node) is not dict:
            raise ValueError("not a stored node")
        if "r" in node:
            value, size = self.anchors[node["r"]]  # only complete nodes: never a cycle
            self._count(size)
            return value
        before = self.expanded
        value = self._sequence(node["s"]) if "s" in node else self._mapping(node)
        if "a" in node:
            self.anchors[node["a"]] = (value, self.expanded - before)
        return value

    def _sequence(self, items: Any) -> list[Any]:
        if type(items) is not list:
            raise ValueError("not a stored sequence")
        self._count(1)
        return [self.node(item) for item in items]

    def _mapping(self, node: dict[str, Any]) -> LineDict:
        if type(node["l"]) is not int or type(node["k"]) is not list:
            raise ValueError("not a stored mapping")
        mapping = LineDict()
        mapping.line = node["l"]
        key_lines = mapping.key_lines = {}
        self._count(1 + len(node["k"]))  # the mapping and its keys
        for key, line, value in node["k"]:
            if type(key) not in _KEYS or type(line) is not int:
                raise ValueError("not a stored key")
            mapping[key] = self.node(value)
            key_lines[key] = line
        return mapping

    def _count(self, nodes: int) -> None:
        self.expanded += nodes
        if self.expanded > MAX_EXPANDED_NODES:
            raise ValueError("expands past the alias limit")
