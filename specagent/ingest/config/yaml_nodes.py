"""YAML node helpers shared by the YAML config-key parser and the CI parser.

PyYAML's composed nodes keep line marks, so these walk nodes (not loaded data) to give each
leaf its dotted path, value and line span.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from specagent.ingest.config.common import join_key, warning
from specagent.ingest.models import IngestWarning


def yaml_docs(text: str) -> list[yaml.Node]:
    return [d for d in yaml.compose_all(text, Loader=yaml.SafeLoader) if d is not None]


def yaml_error(path: str, exc: yaml.YAMLError) -> IngestWarning:
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return warning(path, f"invalid YAML: {problem}{where}")


def _node_value(node: yaml.Node) -> Any:
    """A plain Python value for a scalar or a sequence of scalars."""
    if isinstance(node, yaml.ScalarNode):
        try:
            # Resolve ints, bools and nulls as YAML would; custom tags (!Ref) stay text.
            return yaml.SafeLoader("").construct_object(node, deep=True)
        except Exception:
            return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_node_value(n) for n in node.value]
    return None


def yaml_leaves(node: yaml.Node, prefix: str, depth: int = 0) -> Iterator[tuple[str, Any, int, int]]:
    """(dotted path, value, first line, last line) of each leaf."""
    if depth > 20:
        return
    if isinstance(node, yaml.MappingNode):
        if not node.value and prefix:
            yield prefix, {}, node.start_mark.line + 1, node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            path = join_key(prefix, key)
            if isinstance(value_node, yaml.MappingNode) or (
                isinstance(value_node, yaml.SequenceNode)
                and any(not isinstance(v, yaml.ScalarNode) for v in value_node.value)
            ):
                yield from yaml_leaves(value_node, path, depth + 1)
            else:
                end = max(key_node.start_mark.line, last_line(value_node)) + 1
                yield path, _node_value(value_node), key_node.start_mark.line + 1, end
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}[{i}]"
            if isinstance(item, yaml.ScalarNode):
                line = item.start_mark.line + 1
                yield path, _node_value(item), line, line
            else:
                yield from yaml_leaves(item, path, depth + 1)
    elif isinstance(node, yaml.ScalarNode):
        line = node.start_mark.line + 1
        yield prefix or "(root)", _node_value(node), line, line


def last_line(node: yaml.Node, depth: int = 0) -> int:
    """0-based last line of a node's own text.

    A block container's end mark points at the next token, so its last line is that of its
    last descendant; a block scalar's end mark sits at column 0 of the line after it.
    """
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        if end.column == 0 and end.line > node.start_mark.line:
            return end.line - 1
        return end.line
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    if not children or depth > 50 or getattr(node, "flow_style", False):
        end = node.end_mark
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
    return max(last_line(child, depth + 1) for child in children)


def mapping_items(node: yaml.Node) -> list[tuple[str, yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k.value, k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
