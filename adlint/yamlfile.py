"""Load YAML from untrusted files safely, remembering the line of every mapping key.

Only PyYAML's SafeLoader constructors run, so tags like `!!python/object` are errors, never
code. Mappings come back as `LineDict`s so policy errors can say `file:line:`.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_YAML = 5 * 1024 * 1024
"""Policy and catalogue files larger than this are refused (no policy needs it)."""


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings record their key lines; duplicate keys are errors."""

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


_Loader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _Loader.construct_mapping,  # type: ignore[arg-type]
)


class YamlError(ValueError):
    """YAML syntax or structure error with the 1-based line where it was found."""

    def __init__(self, reason: str, line: int) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason)


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely; raise YamlError with a line number."""
    if len(text) > MAX_YAML:
        raise YamlError(f"file is larger than {MAX_YAML // (1024 * 1024)} MB", 1)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "invalid YAML"
        raise YamlError(f"YAML syntax error: {reason}", line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML error: {error}", 1) from None
    except RecursionError:
        raise YamlError("YAML nesting is too deep", 1) from None
