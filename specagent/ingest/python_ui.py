"""UI apps: a Python file that is a Streamlit, Gradio, Dash, Chainlit or Panel app.

Such a file is run, not imported: ``streamlit run app.py``, ``python app.py`` (Gradio, Dash),
``chainlit run app.py``, ``panel serve app.py``. One UI_APP fact (see
:class:`~specagent.ingest.models.FactKind`) says which framework, the module docstring's first
line, and the inputs a user works with (widgets and components, with their labels), so the
drafter can state how the app is started and what it asks of its user.

A file counts as an app only when it builds the UI itself: Streamlit calls at module level (or
a module-level call of a function of the file that makes them), a Gradio ``launch()`` or a
module-level ``gr.Interface``/``gr.Blocks``, a ``Dash(...)`` app, Chainlit ``@cl.on_message``
hooks, Panel's ``.servable()``/``pn.serve``. A helper module of widgets is not an app.
"""

from __future__ import annotations

import ast

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import Ctx, docstring, end_line, kwargs, last_name
from specagent.ingest.records import UiInput

#: Input widgets a user works with, per framework (what a reviewer needs to see of the UI).
_STREAMLIT_INPUTS = frozenset(
    """button download_button form_submit_button checkbox toggle radio selectbox multiselect slider
    select_slider text_input number_input text_area date_input time_input file_uploader camera_input
    audio_input color_picker chat_input feedback data_editor pills segmented_control""".split()
)
_GRADIO_INPUTS = frozenset(
    """Textbox Number Slider Dropdown Checkbox CheckboxGroup Radio File Files UploadButton Image Audio
    Video Button MultimodalTextbox ChatInterface Chatbot Dataframe Microphone Sketchpad""".split()
)
_DASH_INPUTS = frozenset(
    """Input Dropdown Slider RangeSlider Checklist RadioItems Upload DatePickerSingle DatePickerRange
    Textarea Button Select Switch""".split()
)
_CHAINLIT_INPUTS = frozenset({"AskUserMessage", "AskFileMessage", "AskActionMessage", "Action"})
_CHAINLIT_HOOKS = frozenset({"on_message", "on_chat_start", "on_audio_chunk", "on_file_upload", "on_settings_update"})
#: How each framework's app is started (Gradio and Dash apps start their own server).
_RUN = {
    "streamlit": "streamlit run {path}",
    "gradio": "python {path}",
    "dash": "python {path}",
    "chainlit": "chainlit run {path}",
    "panel": "panel serve {path}",
}
#: Inputs kept per app: the first ones in the file say what the app is for.
MAX_INPUTS = 20


def extract_ui_app(ctx: Ctx) -> None:
    """Add a UI_APP fact when the file is a UI app of a known framework."""
    framework = _framework(ctx)
    if framework is None:
        return
    inputs = _inputs(ctx, framework)
    doc = docstring(ctx.tree, first_line=True)
    first = ctx.tree.body[0] if ctx.tree.body else None
    if doc and isinstance(first, ast.Expr):
        start, end = first.lineno, end_line(first)
    else:
        anchor = next((s for s in ctx.tree.body if _imports(s, framework)), first)
        start = anchor.lineno if anchor is not None else 1
        end = start
    run = _RUN[framework].format(path=ctx.path)
    if framework == "panel" and not any(last_name(c.func) == "servable" for c in ctx.index.calls):
        run = f"python {ctx.path}"  # pn.serve(...) starts its own server
    detail = {"framework": framework, "run": run, "doc": doc, "inputs": inputs}
    ctx.add(FactKind.UI_APP, ctx.path, detail, start, end)


def _imports(stmt: ast.stmt, module: str) -> bool:
    if isinstance(stmt, ast.Import):
        return any(a.name.partition(".")[0] == module for a in stmt.names)
    return isinstance(stmt, ast.ImportFrom) and (stmt.module or "").partition(".")[0] == module and stmt.level == 0


def _top(ctx: Ctx, node: ast.AST) -> str:
    return (ctx.qual(node) or "").partition(".")[0]


def _module_level(ctx: Ctx) -> tuple[list[tuple[int, int]], set[str]]:
    """Line ranges of top-level definitions, and the names of the file's top-level functions."""
    ranges, names = [], set()
    for stmt in ctx.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            ranges.append((stmt.lineno, end_line(stmt)))
            if not isinstance(stmt, ast.ClassDef):
                names.add(stmt.name)
    return ranges, names


def _outside(line: int, ranges: list[tuple[int, int]]) -> bool:
    return not any(a <= line <= b for a, b in ranges)


def _framework(ctx: Ctx) -> str | None:
    imported = ctx.imported
    if not imported & {"streamlit", "gradio", "dash", "chainlit", "panel"}:
        return None
    ranges, local = _module_level(ctx)
    calls = ctx.index.calls
    # A module-level call of the file's own function (main(), or under ``if __name__``) runs it.
    runs_local = any(isinstance(c.func, ast.Name) and c.func.id in local and _outside(c.lineno, ranges) for c in calls)
    if "streamlit" in imported:
        st = [c for c in calls if _top(ctx, c.func) == "streamlit"]
        if any(_outside(c.lineno, ranges) for c in st) or (st and runs_local):
            return "streamlit"
    if "gradio" in imported:
        launches = any(last_name(c.func) == "launch" for c in calls)
        built = any(
            _top(ctx, c.func) == "gradio"
            and last_name(c.func) in {"Interface", "Blocks", "ChatInterface", "TabbedInterface"}
            and _outside(c.lineno, ranges)
            for c in calls
        )
        if launches or built:
            return "gradio"
    if "dash" in imported and any(ctx.qual(c.func) in {"dash.Dash", "dash.dash.Dash"} for c in calls):
        return "dash"
    if "chainlit" in imported:
        for func in ctx.index.funcs:
            if any(_hook(ctx, d) for d in func.decorator_list):
                return "chainlit"
    if "panel" in imported and any(last_name(c.func) == "servable" or ctx.qual(c.func) == "panel.serve" for c in calls):
        return "panel"
    return None


def _hook(ctx: Ctx, decorator: ast.expr) -> str | None:
    """The Chainlit hook a decorator registers (``@cl.on_message``), or None."""
    node = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = last_name(node)
    return name if _top(ctx, node) == "chainlit" and name in _CHAINLIT_HOOKS else None


def _label(ctx: Ctx, call: ast.Call, *keys: str) -> str | None:
    kw = kwargs(call)
    for key in keys:
        if key in kw:
            text = ctx.string(kw[key])
            if text:
                return text
    return ctx.string(call.args[0]) if call.args else None


def _inputs(ctx: Ctx, framework: str) -> list[UiInput]:
    out: list[UiInput] = []
    for call in ctx.index.calls:
        if len(out) >= MAX_INPUTS:
            break
        name = last_name(call.func) or ""
        top = _top(ctx, call.func)
        label: str | None = None
        if framework == "streamlit" and top == "streamlit" and name in _STREAMLIT_INPUTS:
            # st.feedback("thumbs"): its first argument is the kind of rating it asks for
            label = _label(ctx, call, "label", "options")
        elif framework == "gradio" and top == "gradio" and name in _GRADIO_INPUTS:
            label = _label(ctx, call, "label", "value", "placeholder")
        elif framework == "gradio" and top == "gradio" and name == "Interface":
            # gr.Interface(fn, inputs="text") names its inputs by shortcut strings
            shortcut = kwargs(call).get("inputs") or (call.args[1] if len(call.args) > 1 else None)
            one = ctx.string(shortcut) if shortcut is not None else None
            for text in ctx.strings(shortcut) or ([one] if one is not None else []):
                if text:
                    out.append(_input(ctx, call, text, None))
            continue
        elif (
            framework == "dash"
            and top in {"dash", "dash_core_components", "dash_html_components", "dash_bootstrap_components"}
            and name in _DASH_INPUTS
        ):
            label = _label(ctx, call, "id", "placeholder", "children")
        elif framework == "chainlit" and top == "chainlit" and name in _CHAINLIT_INPUTS:
            label = _label(ctx, call, "label", "content", "name")
        elif framework == "panel" and (ctx.qual(call.func) or "").startswith("panel.widgets."):
            label = _label(ctx, call, "name")
        else:
            continue
        out.append(_input(ctx, call, name, label))
    if framework == "chainlit":
        for func in ctx.index.funcs:
            for dec in func.decorator_list:
                if hook := _hook(ctx, dec):
                    out.append(_input(ctx, dec, hook, None))
        out.sort(key=lambda i: i.line)
    return out[:MAX_INPUTS]


def _input(ctx: Ctx, node: ast.AST, widget: str, label: str | None) -> UiInput:
    line = node.lineno  # type: ignore[attr-defined]
    return UiInput(widget=widget, label=label, line=line, quote=ctx.quote(line, line))
