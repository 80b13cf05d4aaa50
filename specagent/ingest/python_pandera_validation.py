"""Which schemas each function validates data with, so the drafter can say which function reads
or writes each pandera contract (the ``validates`` list of a FUNCTION fact).
"""

from __future__ import annotations

import ast
import bisect

from specagent.ingest.python_common import Ctx, FuncNode, end_line, last_name


class ValidationIndex:
    """Which names each function validates data with, from one pass over the file's calls.

    ``Schema.validate(df)``, ``df.pipe(Schema.validate)``, ``@pa.check_input(schema)`` /
    ``@pa.check_output`` / ``@pa.check_io`` arguments, and, under ``@pa.check_types``, the
    ``DataFrame[Schema]`` annotations. Names are kept as written (last part); the drafter keeps
    those that name a schema.
    """

    def __init__(self, ctx: Ctx) -> None:
        self.lines: list[int] = []
        self.names: list[str] = []
        for call in ctx.index.calls:  # sorted by position
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr == "validate":
                self._add(call.lineno, last_name(func.value))
            for arg in call.args:
                if isinstance(arg, ast.Attribute) and arg.attr == "validate":
                    self._add(call.lineno, last_name(arg.value))

    def _add(self, line: int, name: str | None) -> None:
        if name and name != "self":
            self.lines.append(line)
            self.names.append(name)

    def of(self, func: FuncNode) -> list[str]:
        """The names ``func`` validates with, in source order, each once."""
        out: list[str] = []
        first = bisect.bisect_left(self.lines, func.lineno)
        last = bisect.bisect_right(self.lines, end_line(func))
        out.extend(self.names[first:last])
        for dec in func.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            name = last_name(target)
            if name in ("check_input", "check_output", "check_io") and isinstance(dec, ast.Call):
                for arg in [*dec.args, *(k.value for k in dec.keywords)]:
                    if isinstance(arg, ast.Name | ast.Attribute):
                        out.append(last_name(arg) or "")
            elif name == "check_types":
                out.extend(_annotated_frames(func))
        return [n for n in dict.fromkeys(out) if n]


def _annotated_frames(func: FuncNode) -> list[str]:
    """``Schema`` of each ``DataFrame[Schema]`` / ``LazyFrame[Schema]`` parameter or return."""
    args = func.args
    annotations = [a.annotation for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.annotation]
    if func.returns is not None:
        annotations.append(func.returns)
    out: list[str] = []
    for ann in annotations:
        for node in ast.walk(ann):
            if isinstance(node, ast.Subscript) and last_name(node.value) in ("DataFrame", "LazyFrame", "DataFrameBase"):
                name = last_name(node.slice)
                if name:
                    out.append(name)
    return out
