"""Load YAML from untrusted files safely, remembering the line of every mapping key.

Only PyYAML's SafeLoader constructors run, so tags like `!!python/object` are errors, never
code. Mappings come back as `LineDict`s so policy errors can say `file:line:`.

PyYAML loads at the first parse: with a warm YAML memo (yamlmemo.py) a run needs none.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

    from adlint.yamlmemo import YamlMemo

MAX_YAML = 5 * 1024 * 1024
"""Policy and catalogue files larger than this are refused (no policy needs it)."""
MAX_EXPANDED_NODES = 100_000
"""Nodes a document may have once aliases are expanded. Aliases are shared references when
loaded, but everything that walks a policy (validation, merging, selectors) sees each use:
nine levels of nine `*alias`es ("billion laughs") are 387 million selectors."""


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


SAFE_DEPTH = 1000
"""How deep text may nest and still go to libyaml's C parser. It recurses on the C stack
without a limit: 125 KB of `{a: ` in an article's front matter (25,000 levels) crashed the
process with SIGSEGV, and hung a -j2 run whose worker it killed. Text that may nest deeper
goes to PyYAML's Python parser, which stops with a RecursionError, reported as an error."""

_INDENT = re.compile(r"^[ \t]*", re.MULTILINE)
_INDICATOR = re.compile(r"[-?:][ \t]")
_BRACKET = re.compile(r"[\[\]{}]")


def may_nest_deeper(text: str, limit: int = SAFE_DEPTH) -> bool:
    """Whether YAML `text` could nest collections more than `limit` deep.

    An upper bound, in string operations that run in C: a level needs a flow bracket, or a
    deeper indentation, or an indicator (`- `, `? `, `: `) on the line of the level above.
    Brackets and indicators inside strings only make the bound larger (safe, slower).
    """
    if len(text) <= limit:  # every level takes a character: front matter nearly always
        return False
    brackets = text.count("[") + text.count("{")
    indents = len({len(indent) for indent in _INDENT.findall(text)})
    indicators = len(_INDICATOR.findall(text))
    if brackets + indents + indicators <= limit:  # nearly every file
        return False
    if brackets > limit:
        depth = deepest = 0
        for bracket in _BRACKET.finditer(text):
            depth = depth + 1 if bracket.group() in "[{" else max(depth - 1, 0)
            deepest = max(deepest, depth)
        brackets = deepest
    on_one_line = max(len(_INDICATOR.findall(line)) for line in text.splitlines() or [""])
    return brackets + indents + on_one_line > limit


@functools.cache
def _loader_class(pure_python: bool = False) -> type:
    """SafeLoader (libyaml's parser when PyYAML has it: ten times faster, with the same safe
    constructors; PyYAML's own when `pure_python`) whose mappings record their key lines;
    duplicate keys are errors."""
    import yaml

    base: type = yaml.SafeLoader if pure_python else getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
            self.flatten_mapping(node)
            mapping = LineDict()
            mapping.line = node.start_mark.line + 1
            mapping.key_lines = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    raise yaml.constructor.ConstructorError(
                        None, None, "mapping keys must be strings", key_node.start_mark
                    )
                if key in mapping:
                    raise yaml.constructor.ConstructorError(
                        None, None, f'duplicate key "{key}"', key_node.start_mark
                    )
                mapping[key] = self.construct_object(value_node, deep=True)
                mapping.key_lines[key] = key_node.start_mark.line + 1
            return mapping

    Loader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
        Loader.construct_mapping,  # type: ignore[arg-type]
    )
    return Loader


class YamlError(ValueError):
    """YAML syntax or structure error with the 1-based line where it was found."""

    def __init__(self, reason: str, line: int) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason)


_memo: YamlMemo | None = None


@contextmanager
def memo_in(memo: YamlMemo | None) -> Iterator[None]:
    """Let every load_yaml inside the block use `memo` (None: parse everything)."""
    global _memo
    previous, _memo = _memo, memo
    try:
        yield
    finally:
        _memo = previous


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely; raise YamlError with a line number."""
    if len(text) > MAX_YAML:
        raise YamlError(f"file is larger than {MAX_YAML // (1024 * 1024)} MB", 1)
    memo = _memo
    if memo is not None:
        from adlint.yamlmemo import MISSING

        if (remembered := memo.get(text)) is not MISSING:
            return remembered
    document = _parse(text)
    if memo is not None:
        memo.put(text, document)
    return document


def _parse(text: str) -> Any:
    import yaml

    loader = _loader_class(may_nest_deeper(text))(text)
    node = None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "invalid YAML"
        raise YamlError(f"YAML syntax error: {reason}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML error: {error}", 1) from None
    except RecursionError:
        raise YamlError("YAML nesting is too deep", 1) from None
    except ValueError as error:  # a scalar PyYAML cannot build: see _failing_line
        reason = str(error).split("; use sys.", 1)[0]  # Python's advice is not the user's
        raise YamlError(f"YAML value error: {reason}", _failing_line(node)) from None
    finally:
        loader.dispose()


def _failing_line(root: yaml.Node | None) -> int:
    """The line of the first scalar whose construction raises ValueError: an integer of
    more than 4,300 digits (Python's int-from-string limit) or a date such as 2024-13-45.
    Only on the error path, so building each scalar again costs nothing in a valid file;
    a fresh loader, since the one that failed still marks the node as under construction."""
    import yaml

    loader = yaml.SafeLoader("")
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.id == "scalar":
            try:
                loader.construct_object(node)
            except ValueError:
                return node.start_mark.line + 1
        stack.extend(reversed(_children(node)))
    return 1


def _check_expansion(root: yaml.Node) -> None:
    """Refuse alias bombs and recursive aliases before anything is constructed.

    Sizes are computed once per distinct node (post-order, no recursion), so the check is
    linear in the file however large the expansion it detects.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_EXPANDED_NODES:
                raise YamlError(
                    f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes",
                    node.start_mark.line + 1,
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlError(
                "recursive alias (a node that contains itself)", node.start_mark.line + 1
            )
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                if id(child) in on_path:
                    raise YamlError(
                        "recursive alias (a node that contains itself)",
                        child.start_mark.line + 1,
                    )
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if node.id == "mapping":
        return [part for pair in node.value for part in pair]
    if node.id == "sequence":
        return list(node.value)
    return []
