"""One digest of the code that shapes what adlint reports, for the caches' keys.

A cached answer is only as good as the code that produced it: adlint's own modules and
shipped policies, Python, and the dependencies that parse articles and policies or classify
URLs. Sizes and mtimes catch an edited checkout or editable install and any reinstall,
found without importing anything.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

import adlint

DEPENDENCIES = ("pyromark", "regex", "tldextract", "yaml")
"""Modules whose version can change findings: parsers, patterns, the suffix list."""


@functools.cache
def code_digest() -> str:
    """adlint's version and code, Python's version, and DEPENDENCIES' install (~1 ms, once)."""
    parts = [adlint.__version__, sys.version]
    for name in DEPENDENCIES:  # where each is installed, and when: a reinstall changes it
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None and spec.origin else ""
        info = os.stat(origin) if origin else None
        parts.append(f"{name}:{origin}:{info.st_size}:{info.st_mtime_ns}" if info else name)
    root = Path(adlint.__file__).parent
    for directory, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml")):
                info = os.stat(os.path.join(directory, name))
                parts.append(f"{directory}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
