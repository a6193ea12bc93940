"""Load policy YAML, resolve `extends`, merge rules by id, validate, build Rule objects.

A policy file (shipped, a house pack, or the project's `.adlint.yaml`) looks like:

    extends: [adlint:default]        # shipped names or paths, applied in order
    site: [example.com]              # first-party domains for `party:` selectors
    networks: [./more-networks.yaml] # affiliate network catalogues (added to inherited ones)
    rules:
      ad-density: {max_share: 0.25}  # deep-merged into the inherited rule
      tracking-pixel: false          # disabled
      house-rule: {kind: match, severity: warning, message: "...", select: {...}}
    overrides:
      - paths: ["archive/**"]
        rules: {affiliate-disclosure-missing: {severity: warning}}

Every mistake is a PolicyError naming the file, line, rule and key.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adlint.errors import PolicyError
from adlint.rulebuild import build_rule
from adlint.setting import check_setting
from adlint.sourcelog import read_source
from adlint.yamlfile import LineDict, YamlError, load_yaml

if TYPE_CHECKING:
    from adlint.finding import Severity

BUILTIN_PREFIX = "adlint:"
MAX_EXTENDS_DEPTH = 16
POLICY_KEYS = ("extends", "site", "networks", "rules", "overrides")
CONFIG_KEYS = (
    "fail_on",
    "exclude_paths",
    "extensions",
    "check_links",
    "links",
    "cache",
    "file_timeout",
)
RULE_KEYS = (
    "kind",
    "severity",
    "message",
    "description",
    "help",
    "docs",
    "tags",
    "precision",
    "paths",
    "fix",
)


def builtin_dir() -> Path:
    """The shipped policies: inside the package when installed, else the checkout's."""
    packaged = Path(__file__).parent / "policies"
    if (packaged / "default.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "policies"


@dataclass(frozen=True)
class Rule:
    """A validated rule: its id, a configured kind, and the texts users see."""

    id: str
    kind: Any
    severity: Severity
    message: str
    description: str = ""
    help: str = ""
    docs: str = ""
    tags: tuple[str, ...] = ()
    precision: str = "high"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    source: str = ""
    """`file:line` where the rule was (last) defined."""
    definition: Mapping[str, Any] = field(default_factory=dict)
    """The merged YAML definition, for `adlint rules RULE`."""
    fix: Mapping[str, Any] | None = None

    @property
    def kind_name(self) -> str:
        return str(self.kind.name)


@dataclass
class _Origin:
    """Where each part of a merged rule came from, for error messages."""

    path: str
    line: int
    key_lines: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Per key, the file and line that last set it; in the order they were last set."""


@dataclass
class RawPolicy:
    """Merged but not yet validated policy data, with origins."""

    rules: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, _Origin] = field(default_factory=dict)
    sites: list[str] = field(default_factory=list)
    networks: list[tuple[str, str]] = field(default_factory=list)
    overrides: list[tuple[str, int, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    setting_origins: dict[str, tuple[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def read_policy_file(path: Path, *, allow_config: bool) -> LineDict:
    """Read and parse one policy file into a mapping; PolicyError on any problem."""
    display = _display(path)
    try:
        text = read_source(path)
    except FileNotFoundError:
        raise PolicyError("policy file not found", path=display) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"cannot read policy file: {error}", path=display) from None
    return parse_policy_text(text, display, allow_config=allow_config)


def parse_policy_text(text: str, display: str, *, allow_config: bool) -> LineDict:
    try:
        data = load_yaml(text)
    except YamlError as error:
        raise PolicyError(error.reason, path=display, line=error.line) from None
    if data is None:
        data = LineDict()
        data.line = 1
    if not isinstance(data, LineDict):
        raise PolicyError("a policy file must be a mapping", path=display, line=1)
    check_keys(data, POLICY_KEYS + (CONFIG_KEYS if allow_config else ()), display, "top-level key")
    return data


def check_keys(data: LineDict, allowed: tuple[str, ...], display: str, what: str) -> None:
    """Refuse the first key not in `allowed`, naming its file, line and the expected keys."""
    for key in data:
        if key not in allowed:
            raise PolicyError(
                f"unknown {what} (expected: {', '.join(allowed)})",
                path=display,
                line=data.line_of(key),
                key=str(key),
            )


def _display(path: Path) -> str:
    """How a policy file is named in messages: `adlint:default` for shipped files."""
    resolved = path.resolve()
    if resolved.parent == builtin_dir().resolve():
        return f"{BUILTIN_PREFIX}{resolved.stem}"
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def resolve_reference(
    reference: str, base: Path | None, where: tuple[str, int], key: str = "extends"
) -> Path:
    """Turn `adlint:default` or a relative path into a file path."""
    if reference.startswith(BUILTIN_PREFIX):
        name = reference[len(BUILTIN_PREFIX) :]
        candidate = builtin_dir() / (name if name.endswith(".yaml") else f"{name}.yaml")
        if "/" in name or "\\" in name or not candidate.is_file():
            stems = sorted(BUILTIN_PREFIX + p.stem for p in builtin_dir().glob("*.yaml"))
            raise PolicyError(
                f'unknown built-in file "{reference}" (available: {", ".join(stems)})',
                path=where[0],
                line=where[1],
                key=key,
            )
        return candidate
    path = Path(reference).expanduser()
    return path if path.is_absolute() or base is None else base / path


def merge_file(raw: RawPolicy, path: Path, data: LineDict, chain: tuple[Path, ...]) -> None:
    """Apply one file (after its own `extends`) on top of `raw`."""
    display = _display(path)
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise PolicyError(
            f"extends is nested deeper than {MAX_EXTENDS_DEPTH} files",
            path=display,
            line=data.line_of("extends"),
            key="extends",
        )
    for reference, line in _extends(data, display):
        target = resolve_reference(reference, path.parent, (display, line))
        require_file(target, f'policy file "{reference}"', path=display, line=line, key="extends")
        resolved = target.resolve()
        if resolved in chain:
            cycle = " -> ".join(_display(p) for p in (*chain, resolved))
            raise PolicyError(f"extends cycle: {cycle}", path=display, line=line, key="extends")
        merge_file(raw, target, read_policy_file(target, allow_config=False), (*chain, resolved))
    raw.files.append(display)
    _merge_top_level(raw, path, display, data)


def require_file(target: Path, what: str, *, path: str, line: int | None = None, key: str) -> None:
    """Refuse a missing file, naming where it was asked for (`path:line`, `key`), not
    just the missing name."""
    if not target.is_file():
        state = "is not a file" if target.exists() else "not found"
        raise PolicyError(f"{what} {state}", path=path, line=line, key=key)


def _extends(data: LineDict, display: str) -> list[tuple[str, int]]:
    value = data.get("extends", [])
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise PolicyError(
            "must be a policy name or a list of them",
            path=display,
            line=data.line_of("extends"),
            key="extends",
        )
    return [(item, data.line_of("extends")) for item in items]


def _merge_top_level(raw: RawPolicy, path: Path, display: str, data: LineDict) -> None:
    for key in ("site", "networks"):
        if key in data:
            items = _string_list(data[key], display, data.line_of(key), key)
            if key == "site":
                # dict.fromkeys: in order, once each (a `not in` the list was quadratic)
                raw.sites = list(dict.fromkeys([*raw.sites, *(i.lower() for i in items)]))
            else:
                for item in items:
                    where = (display, data.line_of(key))
                    target = resolve_reference(item, path.parent, where, key)
                    what = f'network catalogue "{item}"'
                    require_file(target, what, path=display, line=where[1], key=key)
                    raw.networks.append((_display(target), str(target)))
    rules = data.get("rules", LineDict())
    if not isinstance(rules, LineDict):
        raise PolicyError(
            "must map rule ids to definitions",
            path=display,
            line=data.line_of("rules"),
            key="rules",
        )
    for rule_id, definition in rules.items():
        merge_rule(raw, str(rule_id), definition, display, rules.line_of(rule_id), path.parent)
    for index, override in enumerate(_list(data.get("overrides", []), display, data, "overrides")):
        raw.overrides.append(
            (
                display,
                getattr(override, "line", data.line_of("overrides")),
                (override, path.parent, index),
            )
        )
    for key in CONFIG_KEYS:
        if key in data:
            line = data.line_of(key)
            raw.settings[key] = check_setting(
                key, data[key], path=display, line=line, base=path.parent
            )
            raw.setting_origins[key] = (display, line)


def _list(value: Any, display: str, data: LineDict, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise PolicyError("must be a list", path=display, line=data.line_of(key), key=key)
    return value


def _string_list(value: Any, display: str, line: int, key: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise PolicyError("must be a string or a list of strings", path=display, line=line, key=key)
    return items


def merge_rule(
    raw: RawPolicy, rule_id: str, definition: Any, display: str, line: int, base: Path
) -> None:
    """Deep-merge one rule definition into the raw policy; `false` disables the rule.

    Disabling a rule not defined before, or changing one without giving a `kind`, is an
    error (as ruff refuses unknown rule codes): it is nearly always a typo, or a file that
    does not build on the policy defining the rule, and would otherwise change nothing.
    """
    known = rule_id in raw.rules
    if definition is False or definition == "off":
        if not known:
            raise PolicyError(
                _unknown_rule(raw, rule_id, "there is no such rule to disable"),
                path=display,
                line=line,
                rule=rule_id,
            )
        raw.rules[rule_id] = False
        raw.origins[rule_id] = _Origin(display, line)
        return
    if not isinstance(definition, LineDict):
        raise PolicyError(
            "a rule must be a mapping of its keys, or false to disable it",
            path=display,
            line=line,
            rule=rule_id,
        )
    if not known and "kind" not in definition:
        reason = 'a new rule needs "kind", "severity" and "message"'
        message = _unknown_rule(raw, rule_id, reason)
        raise PolicyError(message, path=display, line=line, rule=rule_id)
    current = raw.rules.get(rule_id)
    origin = raw.origins.get(rule_id)
    if not isinstance(current, dict) or origin is None:
        current, origin = {}, _Origin(display, line)
    merged = _deep_merge(current, definition)
    for key in definition:
        # re-inserted, so the keys stand in the order they were last set: which of a rule's
        # message and select a later file changed decides which an error blames
        origin.key_lines.pop(str(key), None)
        origin.key_lines[str(key)] = (display, definition.line_of(key))
    origin.path, origin.line = display, line
    if "ads_txt" in definition and isinstance(definition["ads_txt"], str):
        merged["ads_txt"] = str(base / definition["ads_txt"])
    raw.rules[rule_id] = merged
    raw.origins[rule_id] = origin


def _unknown_rule(raw: RawPolicy, rule_id: str, reason: str) -> str:
    """`unknown rule: <reason>`, with the likely cause: a typo, or adlint:default not applied."""
    default = builtin_dir() / "default.yaml"
    default_rules = read_policy_file(default, allow_config=False).get("rules", {})
    if rule_id in default_rules and f"{BUILTIN_PREFIX}default" not in raw.files:
        return (
            f'unknown rule: {reason} ("{rule_id}" is an adlint:default rule, and adlint:default '
            "is not applied before this file: a config with `extends` builds only on the "
            "files it lists, so list adlint:default first)"
        )
    return f"unknown rule: {reason} ({rule_hint(rule_id, [str(r) for r in raw.rules])})"


def rule_hint(rule_id: str, known: Iterable[str]) -> str:
    """`did you mean "y"?` for a rule id that is not one of `known`, wherever it was written
    (config, --select, `adlint rules RULE`)."""
    close = difflib.get_close_matches(rule_id, sorted(known), n=1)
    return f'did you mean "{close[0]}"?' if close else "`adlint rules` lists the rules"


REPLACED = ("select", "navigation", "fix")
"""Rule keys an override replaces whole: merging two selectors or two fixes makes no sense
(every option that holds a selector, as density's `navigation`: merged, a user's
`navigation: {class: toc}` was ANDed with the default's `any` and matched nothing)."""


def _deep_merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        if (
            isinstance(value, Mapping)
            and isinstance(merged.get(key), Mapping)
            and key not in REPLACED
        ):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def build_rules(raw: RawPolicy) -> list[Rule]:
    """Validate every enabled rule; the order is the policy's."""
    rules = []
    for rule_id, definition in raw.rules.items():
        if definition is False:
            continue
        rule = build_rule(rule_id, definition, raw.origins[rule_id])
        if rule is not None:
            rules.append(rule)
    return rules


def key_origin(origin: _Origin, key: str) -> tuple[str, int]:
    """The file and line that set `key` of a rule (or the rule's own line)."""
    return origin.key_lines.get(key, (origin.path, origin.line))


def check_sequence(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Override:
    """Per-path changes: rules merged on top of the policy for files matching `paths`."""

    paths: tuple[str, ...]
    rules: Mapping[str, Any]
    source: str
    line: int
    base: Path


@dataclass
class Policy:
    """The rules in effect, plus what they need: site domains, networks, overrides."""

    rules: list[Rule]
    sites: tuple[str, ...] = ()
    catalogue: Any = None
    overrides: tuple[Override, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    raw: RawPolicy | None = None
    sources: str = ""
    """Digest of every file the policy was built from (config.load_config sets it)."""
    _variants: dict[tuple[int, ...], list[Rule]] = field(default_factory=dict)

    @functools.cached_property
    def rule_ids(self) -> frozenset[str]:
        """Every rule id the policy defines, enabled or disabled (overrides may only change
        these): the ids a suppression directive may name; the `directive` kind flags others."""
        if self.raw is None:
            return frozenset(rule.id for rule in self.rules)
        return frozenset(self.raw.rules)

    def rules_for(self, path: str) -> list[Rule]:
        """The rules that apply to one file: per-path overrides and rule `paths` applied."""
        from adlint.pathmatch import matches_any

        matching = tuple(i for i, o in enumerate(self.overrides) if matches_any(path, o.paths))
        rules = self._variant(matching) if matching else self.rules
        return [
            rule
            for rule in rules
            if (not rule.include or matches_any(path, rule.include))
            and not (rule.exclude and matches_any(path, rule.exclude))
        ]

    def _variant(self, indexes: tuple[int, ...]) -> list[Rule]:
        if indexes not in self._variants:
            self._variants[indexes] = self._build_with(indexes)
        return self._variants[indexes]

    def _build_with(self, indexes: tuple[int, ...], *, named_only: bool = False) -> list[Rule]:
        """The rules with the given overrides applied; with `named_only`, only the rules
        those overrides name (enough to validate an override: building every rule for every
        override made 2,000 overrides of 2,000 rules take 5 minutes and 10 GB)."""
        assert self.raw is not None
        named = {str(i) for n in indexes for i in self.overrides[n].rules} if named_only else None
        raw = RawPolicy(
            rules={k: v for k, v in self.raw.rules.items() if named is None or k in named},
            origins={
                k: _copy_origin(v)
                for k, v in self.raw.origins.items()
                if named is None or k in named
            },
        )
        for index in indexes:
            override = self.overrides[index]
            for rule_id, definition in override.rules.items():
                line = (
                    override.rules.line_of(rule_id)
                    if isinstance(override.rules, LineDict)
                    else override.line
                )
                merge_rule(raw, str(rule_id), definition, override.source, line, override.base)
        return build_rules(raw)


def _copy_origin(origin: _Origin) -> _Origin:
    return _Origin(origin.path, origin.line, dict(origin.key_lines))


def _build_overrides(raw: RawPolicy) -> tuple[Override, ...]:
    overrides = []
    for display, line, (data, base, index) in raw.overrides:
        key = f"overrides[{index}]"
        if not isinstance(data, LineDict) or set(data) - {"paths", "rules"} or "paths" not in data:
            raise PolicyError(
                "each override needs `paths` (globs) and `rules`", path=display, line=line, key=key
            )
        paths = _string_list(data["paths"], display, data.line_of("paths"), f"{key}.paths")
        rules = data.get("rules", LineDict())
        if not isinstance(rules, LineDict):
            raise PolicyError(
                "must map rule ids to changes",
                path=display,
                line=data.line_of("rules"),
                key=f"{key}.rules",
            )
        for rule_id in rules:
            if rule_id not in raw.rules:
                raise PolicyError(
                    f'override names unknown rule "{rule_id}"',
                    path=display,
                    line=rules.line_of(rule_id),
                    key=f"{key}.rules",
                )
        overrides.append(Override(tuple(paths), rules, display, line, base))
    return tuple(overrides)


def load_policy(layers: Sequence[tuple[Path, LineDict]]) -> Policy:
    """Merge policy layers (each already parsed) in order and validate the result.

    A layer without `extends` builds on everything before it; the first layer, when it has
    no `extends`, builds on `adlint:default` (as ruff's config builds on its defaults). A
    layer's `extends` lists everything it builds on (as ESLint's does): `extends: [x.yaml]`
    leaves adlint:default out unless x.yaml (or the list) names it, and a file reached only
    through `extends` starts from nothing. A policy that ends up enabling no rule at all
    could never fail a run, so it is an error rather than a silent pass.
    """
    raw = RawPolicy()
    for index, (path, data) in enumerate(layers):
        if index == 0 and "extends" not in data:
            default = builtin_dir() / "default.yaml"
            merge_file(
                raw, default, read_policy_file(default, allow_config=False), (default.resolve(),)
            )
        merge_file(raw, path, data, (path.resolve(),))
    rules = build_rules(raw)
    overrides = _build_overrides(raw)
    policy = Policy(
        rules=rules,
        sites=tuple(raw.sites),
        overrides=overrides,
        settings=dict(raw.settings),
        files=tuple(raw.files),
        raw=raw,
    )
    policy.catalogue = _load_catalogue(raw)
    # validate every override now, not at the first file it matches
    enabled = [policy._build_with((i,), named_only=True) for i in range(len(overrides))]
    if not rules and not any(enabled):
        raise _no_rules(*layers[0])
    return policy


def _no_rules(path: Path, data: LineDict) -> PolicyError:
    """The error for a policy with no enabled rule, placed where the defaults were dropped."""
    if "extends" in data:
        return PolicyError(
            "the policy enables no rules: a file with `extends` builds only on the files it "
            "lists (add adlint:default to keep the built-in rules)",
            path=_display(path),
            line=data.line_of("extends"),
            key="extends",
        )
    return PolicyError(
        "every rule is disabled, so nothing would ever be reported",
        path=_display(path),
        line=data.line_of("rules"),
        key="rules",
    )


def _load_catalogue(raw: RawPolicy) -> Any:
    from adlint.networks import load_catalogue

    sources = []
    seen = set()
    for display, location in raw.networks:
        if location in seen:
            continue
        seen.add(location)
        try:
            text = read_source(Path(location))
        except OSError as error:
            raise PolicyError(
                f"cannot read network catalogue: {error.strerror}", path=display, key="networks"
            ) from None
        sources.append((display, text))
    return load_catalogue(sources)


def load_default_policy() -> Policy:
    """The built-in default policy alone (no project config)."""
    default = builtin_dir() / "default.yaml"
    data = read_policy_file(default, allow_config=False)
    data.setdefault("extends", [])
    return load_policy([(default, data)])
