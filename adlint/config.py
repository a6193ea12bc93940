"""Find the project's configuration and turn it, plus `--policy` files, into policy layers.

Lookup (yamllint's and ruff's habit): from the working directory upward, the first of
`.adlint.yaml`, `.adlint.yml`, or a `pyproject.toml` with a `[tool.adlint]` table. None
found means the built-in default policy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from adlint.errors import PolicyError, require_flag_file
from adlint.policy import Policy, load_default_policy, load_policy, read_policy_file
from adlint.sourcelog import digest_of, read_source, recording
from adlint.yamlfile import LineDict, memo_in
from adlint.yamlmemo import YamlMemo

CONFIG_NAMES = (".adlint.yaml", ".adlint.yml")


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start`, or None."""
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_adlint_table(pyproject):
            return pyproject
    return None


def _has_adlint_table(path: Path) -> bool:
    try:
        return "[tool.adlint" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def read_config(path: Path) -> LineDict:
    """Read `.adlint.yaml` or `[tool.adlint]` into a policy mapping with line numbers."""
    if path.name == "pyproject.toml":
        return _read_pyproject(path)
    return read_policy_file(path, allow_config=True)


def _read_pyproject(path: Path) -> LineDict:
    import tomllib  # only for [tool.adlint] configs

    from adlint.policy import CONFIG_KEYS, POLICY_KEYS, _display, check_keys

    display = _display(path)
    try:
        text = read_source(path)
        table = tomllib.loads(text).get("tool", {}).get("adlint", {})
    except tomllib.TOMLDecodeError as error:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(error))) else 1
        raise PolicyError(f"TOML syntax error: {error}", path=display, line=line) from None
    except OSError as error:
        raise PolicyError(f"cannot read: {error.strerror}", path=display) from None
    lines = _key_lines(text)
    data = _to_line_dict(table, lines, _table_line(text))
    check_keys(data, POLICY_KEYS + CONFIG_KEYS, display, "key in [tool.adlint]")
    return data


def _table_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("[tool.adlint"):
            return number
    return 1


def _key_lines(text: str) -> dict[str, int]:
    """First line where each bare or quoted key is assigned (TOML keeps no positions)."""
    lines: dict[str, int] = {}
    pattern = re.compile(r'^\s*(?:\[+\s*)?([A-Za-z0-9_.\-"]+)\s*[=\]]')
    in_adlint = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_adlint = stripped.startswith("[tool.adlint")
        if in_adlint and (match := pattern.match(line)):
            for part in match.group(1).replace('"', "").split("."):
                lines.setdefault(part, number)
    return lines


def _to_line_dict(value: Any, lines: dict[str, int], line: int) -> Any:
    if isinstance(value, dict):
        mapping = LineDict()
        mapping.line = line
        mapping.key_lines = {}
        for key, item in value.items():
            key_line = lines.get(str(key), line)
            mapping[key] = _to_line_dict(item, lines, key_line)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(value, list):
        return [_to_line_dict(item, lines, line) for item in value]
    return value


def load_config(
    *,
    config: Path | None,
    policies: Sequence[Path],
    cwd: Path,
    discover: bool = True,
    cache_dir: Path | None = None,
) -> tuple[Policy, Path | None]:
    """Build the policy in effect: config (found or given) then each `--policy` file.

    The policy's `sources` digest covers every file read on the way (sourcelog.py). With a
    `cache_dir`, parsed YAML is remembered there (yamlmemo.py) unless the config itself
    says `cache: false`.
    """
    config_path = config if config is not None else (find_config(cwd) if discover else None)
    memo = YamlMemo(cache_dir) if cache_dir is not None else None
    with recording() as log, memo_in(memo):
        layers: list[tuple[Path, LineDict]] = []
        if config_path is not None:
            if config is not None:  # a config found by looking is a file
                require_flag_file(config_path, "--config")
            layers.append((config_path, read_config(config_path)))
        for policy in policies:
            require_flag_file(policy, "--policy")
            layers.append((policy, read_policy_file(policy, allow_config=True)))
        built = load_policy(layers) if layers else load_default_policy()
    built.sources = digest_of(log)
    if memo is not None and built.settings.get("cache", True) is True:
        memo.flush()
    return built, config_path
