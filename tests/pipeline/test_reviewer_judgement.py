"""What a reviewer rejected in drafts of real prototypes, on inputs written for these tests."""

from __future__ import annotations

from pathlib import Path

from specagent.pipeline.draft import draft
from specagent.pipeline.offline.common import states_requirement

APP = "import flask\nimport numpy\n\napp = flask.Flask(__name__)\n"


def _proto(tmp_path: Path, readme: str, **files: str) -> Path:
    (tmp_path / "README.md").write_text(readme)
    (tmp_path / "app.py").write_text(APP)
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_problem_skips_badges_images_adverts_and_taglines(tmp_path: Path) -> None:
    readme = (
        "# Lens\n\n"
        "[![Stars](https://img.shields.io/x.svg)](https://example.org/stars)\n"
        "![demo](assets/demo.png)\n\n"
        "🚨 You can run Lens on a hosted machine. Make sure to use the code SAVE for 50% off!\n\n"
        "A small project made using Flask and NumPy.\n\n"
        "Lens helps claims adjusters find the clauses of a policy that decide a claim.\n"
    )
    problem = draft(_proto(tmp_path, readme)).spec.overview.problem
    assert problem is not None
    assert problem.text.startswith("Lens helps claims adjusters find the clauses")


def test_the_opening_paragraph_stays_the_problem_when_it_states_one(tmp_path: Path) -> None:
    readme = "# tidy\n\nClean and validate order exports before the nightly warehouse load.\n\nMore text here.\n"
    problem = draft(_proto(tmp_path, readme)).spec.overview.problem
    assert problem is not None and problem.text.startswith("Clean and validate order exports")


def test_no_prose_means_an_open_question_not_a_problem(tmp_path: Path) -> None:
    readme = "# x\n\n![logo](logo.png)\n\n## Dataset\n\nSmith, J. (2021). A Dataset. Retrieved from https://x.org\n"
    spec = draft(_proto(tmp_path, readme)).spec
    assert spec.overview.problem is None
    assert any("problem" in q.question for q in spec.open_questions)


def test_requirements_come_from_sentences_that_state_one() -> None:
    assert states_requirement("The export must finish before the 06:00 UTC warehouse load.")
    for text in (
        "`audio_format`: Format of resulting audio files (must be one of mp3 or wav).",
        "You must log in to the [console](https://example.org) first.",
        "Put the key file in the config folder; the app should find it.",
        "I should be incapable of drawing a single stroke at the present moment.",
        "Must be fast.",
        "[Read the docs](https://example.org/docs) should you need more.",
    ):
        assert not states_requirement(text), text


def test_test_data_text_is_no_requirement_and_repeats_are_stated_once(tmp_path: Path) -> None:
    readme = "# r\n\nRanks support tickets for agents.\n\n- The ranker must answer within 300 ms.\n"
    root = _proto(
        tmp_path,
        readme,
        **{
            "tests/data/words.txt": "The little text should turn around and return to its own safe country.\n" * 3,
            "notes/plan.md": "# Plan\n\n- The ranker must answer within 300 ms.\n",
        },
    )
    statements = [r.statement for r in draft(root).spec.requirements]
    assert statements == ["The ranker must answer within 300 ms."]


def test_a_frozen_requirements_file_is_one_item_beside_the_packages_the_code_imports(tmp_path: Path) -> None:
    pins = [f"transitive-{i}==1.{i}.0" for i in range(30)] + ["flask==3.0.0", "numpy==1.26.4"]
    root = _proto(tmp_path, "# s\n\nServes scores to users.\n", **{"requirements.txt": "\n".join(pins) + "\n"})
    deps = [d for d in draft(root).spec.dependencies if d.kind == "package"]
    names = [d.name for d in deps]
    assert names == ["requirements.txt: 32 pinned packages", "flask", "numpy"]
    assert "30 are not imported" in (deps[0].purpose or "")
    # a short pinned file is a list of direct dependencies, each its own item
    (root / "requirements.txt").write_text("flask==3.0.0\nnumpy==1.26.4\nrequests==2.32.0\n")
    assert [d.name for d in draft(root).spec.dependencies if d.kind == "package"] == ["flask", "numpy", "requests"]


def test_dependency_pins_and_expressions_are_no_secrets() -> None:
    from specagent.ingest.secrets import redact

    assert redact("requirements.txt", "pyobjc-framework-CryptoTokenKit==10.3.1\nflask==3.0\n").findings == []
    js = "```javascript\nconst apiKey = result.apiKey;\nclient.auth_token = config.token;\n```\n"
    assert redact("docs/guide.md", js).findings == []
    # a literal value is still one
    assert [f.variable for f in redact("docs/guide.md", "api_key = 'q8Zr2LmX9vTw4Kd7'\n").findings] == ["api_key"]


def test_one_risk_per_secret_listing_every_file(tmp_path: Path) -> None:
    key = "TOKEN = 'q8Zr2LmX9vTw4Kd7Yp3N'\n"
    root = _proto(tmp_path, "# s\n\nServes scores to users.\n", **{"a.py": key, "b.py": key, "c.py": key})
    secrets = [r for r in draft(root).spec.risks if r.title.startswith("Hard-coded secret")]
    assert len(secrets) == 1
    assert "`a.py`, `b.py`, `c.py`" in secrets[0].title and len(secrets[0].sources) == 3


def test_bare_todos_ask_nothing_and_empty_modules_are_no_component(tmp_path: Path) -> None:
    code = "# TODO\n# TODO: investigate\n# TODO: cache the embeddings between runs of the ranker\nx = 1\n"
    root = _proto(tmp_path, "# s\n\nServes scores to users.\n", **{"core/rank.py": code, "empty/__init__.py": ""})
    spec = draft(root).spec
    todos = [q.question for q in spec.open_questions if q.question.startswith("TODO")]
    assert todos == ["TODO: cache the embeddings between runs of the ranker"]
    assert [c.name for c in spec.architecture if c.name.startswith("empty")] == []
    assert not any(q.question.startswith("Unverified") for q in spec.open_questions)


def test_draft_and_check_agree_on_a_complete_draft(tmp_path: Path) -> None:
    from specagent.ingest import ingest
    from specagent.quality.checks import run_checks

    root = _proto(tmp_path, "# s\n\nServes scores to users.\n")
    spec = draft(root).spec
    findings = run_checks(spec, ingest(root).texts).findings
    assert [f.message for f in findings if f.code == "SA301"] == []


def test_a_printed_number_is_a_metric_only_when_it_measures_the_product() -> None:
    from specagent.ingest.metrics_text import find_metrics

    names = [m.name for m in find_metrics("Senior Architect: $310\ncost per 1k tickets: $0.16\n")]
    assert names == ["cost per 1k tickets"]
    assert [m.name for m in find_metrics("prompt tokens: 23\ntotal tokens: 150\nthroughput: 40 tokens/s\n")] == [
        "throughput"
    ]
    assert find_metrics("memory usage: 83.2+ KB\n") == []


def test_a_notebook_metric_names_the_model_its_cell_evaluates(tmp_path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    code = "clf = GradientBoostingClassifier(n_estimators=50)\nclf.fit(X, y)\nprint(f'accuracy: {acc:.3f}')"
    cell = nbformat.v4.new_code_cell(code)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="accuracy: 0.912\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Churn model\n\nPredicts which customers will churn."), cell]
    (tmp_path / "eval.ipynb").write_text(nbformat.writes(nb))
    (metric,) = draft(tmp_path).spec.metrics
    assert "`GradientBoostingClassifier`" in metric.definition and metric.baseline is not None
    assert metric.baseline.value == 0.912


def test_a_report_with_a_summary_row_gives_the_summary_and_the_weakest_class() -> None:
    from specagent.ingest.metrics_text import find_metrics

    report = (
        "             precision    recall  f1-score   support\n\n"
        "    negative       0.89      0.91      0.90      4881\n"
        "    positive       0.91      0.89      0.90      4857\n\n"
        " avg / total       0.90      0.90      0.90      9738\n"
    )
    found = {m.name: m for m in find_metrics(report)}
    assert {"weighted avg f1", "weighted avg precision", "weighted avg recall"} <= set(found)
    assert not any(name.startswith("class ") for name in found)


def test_data_contracts_are_what_the_product_takes_in_not_fixtures_tooling_or_intermediates(tmp_path: Path) -> None:
    import nbformat

    files = {
        "tests/data/sample.csv": "id,amount\n1,2.5\n",
        "data/orders.csv": "order_id,total\n7,19.9\n",
        ".pre-commit-config.yaml": "repos:\n  - repo: local\n",
        "renovate.json": '{"extends": ["config:base"]}\n',
        "config.yaml": "model: small\nthreshold: 0.6\n",
        "charts/scorer/Chart.yaml": "apiVersion: v2\nname: scorer\n",
        "charts/scorer/values.yaml": "replicaCount: 3\n",
    }
    root = _proto(tmp_path, "# s\n\nScores orders for analysts.\n", **files)
    nb = nbformat.v4.new_notebook()
    load = nbformat.v4.new_code_cell("orders = pd.read_csv('data/orders.csv', sep=';')\norders.columns")
    feats = nbformat.v4.new_code_cell("features = orders.assign(big=orders.total > 10)\nfeatures.columns")
    index = "Index(['{}', '{}', 'region'], dtype='object')"
    for cell, cols in ((load, ("order_id", "total")), (feats, ("order_id", "big"))):
        cell.outputs = [
            nbformat.v4.new_output("execute_result", data={"text/plain": index.format(*cols)}, execution_count=1)
        ]
    nb.cells = [load, feats]
    (root / "explore.ipynb").write_text(nbformat.writes(nb))
    spec = draft(root).spec
    names = {c.name for c in spec.data_contracts}
    assert "orders" in names  # the frame the notebook loads (its columns differ from the sample's)
    assert "data/orders.csv" in names and "config.yaml" in names
    assert not names & {"tests/data/sample.csv", ".pre-commit-config.yaml", "renovate.json", "features"}
    assert not any(n.startswith("charts/") for n in names)
    (chart,) = [c for c in spec.architecture if c.name == "charts/scorer"]
    assert chart.responsibility.startswith("Helm chart") and "`replicaCount` 3" in chart.responsibility


def test_a_component_says_what_its_code_does_never_just_its_file_name(tmp_path: Path) -> None:
    server = (
        '"""server.py"""\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n'
        '@app.post("/score")\ndef score(x: float) -> float:\n    return 2 * x\n\n\n'
        "def load_weights(path: str) -> bytes:\n    return b''\n"
    )
    root = _proto(tmp_path, "# s\n\nScores orders for analysts.\n", **{"server.py": server})
    (component,) = [c for c in draft(root).spec.architecture if c.name == "server.py"]
    assert component.responsibility == "serves POST /score; defines `score`, `load_weights`"


def test_a_database_is_named_by_what_its_url_says_it_is(tmp_path: Path) -> None:
    code = (
        "from sqlalchemy import create_engine\n\nengine = create_engine('mysql+pymysql://app@db.internal:3306/shop')\n"
    )
    root = _proto(tmp_path, "# s\n\nScores orders for analysts.\n", **{"db.py": code})
    services = [d.name for d in draft(root).spec.dependencies if d.kind == "service"]
    assert services == ["MySQL (through sqlalchemy)"]


def test_goals_are_statements_not_tool_names_or_links(tmp_path: Path) -> None:
    readme = (
        "# s\n\nScores orders for analysts.\n\n## Goals\n\n- FastAPI\n- [Docs](https://example.org/docs)\n"
        "- Cut the weekly review from two hours to twenty minutes.\n"
    )
    goals = [g.statement for g in draft(_proto(tmp_path, readme)).spec.overview.goals]
    assert goals == ["Cut the weekly review from two hours to twenty minutes."]


def test_a_package_of_the_prototype_is_never_a_dependency(tmp_path: Path) -> None:
    root = _proto(tmp_path, "# s\n\nScores orders for analysts.\n", **{"src/orderlens/core.py": "X = 1\n"})
    (root / "explore.py").write_text("from orderlens.core import X\nimport requests\n")
    names = [d.name for d in draft(root).spec.dependencies if d.kind == "package"]
    assert "orderlens" not in names and "requests" in names


def test_what_the_code_reads_is_an_input_contract_unless_it_wrote_it_itself(tmp_path: Path) -> None:
    parser = (
        "def parse_statement(path):\n"
        "    with open(path) as f:\n"
        "        return [line.split(';') for line in f]\n\n\n"
        "def load_rates():\n"
        "    import pandas as pd\n"
        "    rates = pd.read_csv('data/rates.csv')\n"
        "    rates.to_parquet('cache/rates.parquet')\n"
        "    return pd.read_parquet('cache/rates.parquet')\n"
    )
    root = _proto(tmp_path, "# s\n\nReads bank statements for analysts.\n", **{"bank/parse.py": parser})
    contracts = {c.name: c for c in draft(root).spec.data_contracts}
    assert set(contracts) == {"data/rates.csv", "input of parse_statement"}
    assert contracts["input of parse_statement"].role == "input"
    assert "`open`" in (contracts["input of parse_statement"].summary or "")


def test_a_build_of_a_library_declares_its_import_name(tmp_path: Path) -> None:
    # Headless, binary and contrib builds install the same import name as the usual one.
    code = "import cv2\nimport psycopg2\nimport requests\n\n\ndef load(path):\n    return cv2.imread(path)\n"
    proto = _proto(
        tmp_path,
        "# cams\n\nFind scratches on parts from camera frames.\n",
        **{"vision.py": code, "requirements.txt": "opencv-python-headless==4.10.0.84\npsycopg2==2.9.9\n"},
    )
    spec = draft(proto).spec
    undeclared = [r.title for r in spec.risks if r.title.startswith("Undeclared dependencies")]
    assert undeclared and "`requests`" in undeclared[0]
    assert "opencv" not in undeclared[0] and "psycopg2" not in undeclared[0]
