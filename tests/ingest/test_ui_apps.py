"""UI apps: Streamlit, Gradio, Dash, Chainlit and Panel files, how each is started, its inputs."""

from __future__ import annotations

import textwrap

from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_parser import parse_python


def _apps(path: str, src: str) -> list[Fact]:
    facts = parse_python(path, textwrap.dedent(src).lstrip("\n")).facts
    return [f for f in facts if f.kind is FactKind.UI_APP]


def _inputs(fact: Fact) -> list[tuple]:
    return [(i.widget, i.label, i.line) for i in fact.detail.inputs]


STREAMLIT = '''
"""Upload a contract and ask questions about it.

    streamlit run ui/app.py
"""
import streamlit as st

from contracts.qa import answer

st.title("Contract QA")
with st.sidebar:
    model = st.selectbox("Model", ["small", "large"])
upload = st.file_uploader("Contract (PDF)", type=["pdf"])


def rate(i: int) -> None:
    st.feedback("stars", key=f"r{i}")


if question := st.chat_input("Ask a question"):
    st.write(answer(upload, question, model))
    rate(0)
'''


def test_streamlit_app_at_module_level() -> None:
    [app] = _apps("ui/app.py", STREAMLIT)
    assert app.name == "ui/app.py"
    assert {k: app.detail.model_dump()[k] for k in ("framework", "run", "doc")} == {
        "framework": "streamlit",
        "run": "streamlit run ui/app.py",
        "doc": "Upload a contract and ask questions about it.",
    }
    assert _inputs(app) == [
        ("selectbox", "Model", 11),
        ("file_uploader", "Contract (PDF)", 12),
        ("feedback", "stars", 16),
        ("chat_input", "Ask a question", 19),
    ]
    assert (app.source.span.start_line, app.source.span.end_line) == (1, 4)
    assert app.detail.inputs[1].quote == 'upload = st.file_uploader("Contract (PDF)", type=["pdf"])'


def test_streamlit_main_function_is_an_app_but_a_widget_module_is_not() -> None:
    main = """
    import streamlit as st

    def main() -> None:
        st.button("Go")

    if __name__ == "__main__":
        main()
    """
    [app] = _apps("dashboard.py", main)
    assert app.detail.run == "streamlit run dashboard.py"
    assert app.detail.doc is None
    assert app.source.span.start_line == 1  # the streamlit import, for want of a docstring
    helpers = """
    import streamlit as st

    def sidebar() -> str:
        return st.selectbox("Region", ["EU", "US"])
    """
    assert _apps("ui/widgets.py", helpers) == []


def test_gradio_dash_chainlit_panel() -> None:
    gradio = """
    import gradio as gr

    def predict(text):
        return text

    with gr.Blocks() as demo:
        box = gr.Textbox(label="Review")
        go = gr.Button("Classify")
        go.click(predict, box, gr.Label())

    demo.launch()
    """
    [app] = _apps("demo.py", gradio)
    assert (app.detail.framework, app.detail.run) == ("gradio", "python demo.py")
    assert _inputs(app) == [("Textbox", "Review", 7), ("Button", "Classify", 8)]

    interface = 'import gradio as gr\n\ngr.Interface(fn=str.upper, inputs="text", outputs="text").launch()\n'
    assert _inputs(_apps("up.py", interface)[0]) == [("text", None, 3)]

    dash = """
    from dash import Dash, dcc, html

    app = Dash(__name__)
    app.layout = html.Div([dcc.Dropdown(id="store"), html.Button("Refresh", id="refresh")])

    if __name__ == "__main__":
        app.run(debug=True)
    """
    [app] = _apps("board.py", dash)
    assert (app.detail.framework, app.detail.run) == ("dash", "python board.py")
    assert _inputs(app) == [("Dropdown", "store", 4), ("Button", "refresh", 4)]

    chainlit = """
    import chainlit as cl

    @cl.on_message
    async def reply(message: cl.Message):
        await cl.Message(content=message.content).send()
    """
    [app] = _apps("chat.py", chainlit)
    assert (app.detail.framework, app.detail.run) == ("chainlit", "chainlit run chat.py")
    assert _inputs(app) == [("on_message", None, 3)]

    panel = 'import panel as pn\n\nq = pn.widgets.TextInput(name="Query")\npn.Column(q).servable()\n'
    [app] = _apps("explore.py", panel)
    assert (app.detail.run, _inputs(app)) == ("panel serve explore.py", [("TextInput", "Query", 3)])


def test_a_module_that_only_imports_a_ui_framework_is_not_an_app() -> None:
    src = "import gradio as gr\n\ndef build():\n    return gr.Blocks()\n"
    assert _apps("ui/build.py", src) == []
