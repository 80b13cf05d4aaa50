"""Schedules: cron expressions and intervals where jobs are scheduled, in code, config and text."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from specagent.ingest import ingest
from specagent.ingest.models import Fact, FactKind
from specagent.ingest.python_parser import parse_python
from specagent.ingest.schedules import config_schedule_facts, is_cron, text_schedule_facts


def _schedules(path: str, src: str) -> list[Fact]:
    facts = parse_python(path, textwrap.dedent(src).lstrip("\n")).facts
    return [f for f in facts if f.kind is FactKind.SCHEDULE]


def _when(fact: Fact) -> tuple:
    d = fact.detail.model_dump()
    return (d["scheduler"], d["cron"], d["every"], d["timezone"], d["target"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 2 * * *", True),
        ("*/15 9-17 * * MON-FRI", True),
        ("0 0 12 * * ?", True),
        ("@daily", True),
        ("cron(0 2 * * ? *)", True),
        ("the day you had got", False),  # five three-letter words are prose
        ("nightly", False),
        ("30 2 * *", False),
    ],
)
def test_is_cron(text: str, expected: bool) -> None:
    assert is_cron(text) is expected


def test_prefect_serve_deploy_and_schedule_objects() -> None:
    facts = _schedules(
        "flows/etl.py",
        """
        from datetime import timedelta

        from prefect import flow
        from prefect.client.schemas.schedules import CronSchedule
        from prefect.deployments import Deployment

        @flow
        def nightly(): ...

        @flow
        def hourly(): ...

        if __name__ == "__main__":
            nightly.serve(name="nightly", cron="30 2 * * *")
            hourly.serve(name="hourly", interval=3600)
            Deployment.build_from_flow(
                flow=nightly,
                name="weekday",
                schedule=CronSchedule(cron="0 6 * * 1-5", timezone="America/New_York"),
            )
        """,
    )
    assert [_when(f) for f in facts] == [
        ("prefect", "30 2 * * *", None, None, "nightly"),
        ("prefect", None, "3600 s", None, "hourly"),
        ("prefect", "0 6 * * 1-5", None, "America/New_York", "nightly"),
    ]
    assert facts[2].source.quote == 'schedule=CronSchedule(cron="0 6 * * 1-5", timezone="America/New_York"),'
    assert facts[0].name == "nightly"


def test_airflow_dag_and_dag_decorator() -> None:
    facts = _schedules(
        "dags/etl.py",
        """
        from datetime import timedelta

        import pendulum
        from airflow import DAG
        from airflow.decorators import dag

        with DAG("daily_etl", schedule_interval="@daily", start_date=pendulum.datetime(2024, 1, 1, tz="UTC")) as d:
            pass

        @dag(schedule=timedelta(hours=6), catchup=False)
        def refresh_features():
            pass

        @dag(schedule=None)
        def manual_only():
            pass
        """,
    )
    assert [_when(f) for f in facts] == [
        ("airflow", "@daily", None, "UTC", "daily_etl"),
        ("airflow", None, "timedelta(hours=6)", None, "refresh_features"),
    ]


def test_apscheduler_schedule_library_and_celery_beat() -> None:
    facts = _schedules(
        "jobs.py",
        """
        import schedule
        from apscheduler.schedulers.blocking import BlockingScheduler
        from apscheduler.triggers.cron import CronTrigger
        from celery import Celery
        from celery.schedules import crontab

        app = Celery("jobs")
        app.conf.beat_schedule = {
            "retrain": {"task": "tasks.retrain", "schedule": crontab(hour=3, minute=0)},
            "ping": {"task": "tasks.ping", "schedule": 30.0},
        }
        sched = BlockingScheduler()
        sched.add_job(send_report, "cron", hour=2, minute=30, timezone="Europe/Berlin")
        sched.add_job(poll, CronTrigger.from_crontab("*/5 * * * *"))

        @sched.scheduled_job("interval", minutes=10)
        def heartbeat():
            pass

        schedule.every().day.at("02:30").do(backup)
        """,
    )
    assert sorted((_when(f) for f in facts), key=str) == sorted(
        [
            ("celery", None, "crontab(hour=3, minute=0)", None, "tasks.retrain"),
            ("celery", None, "30.0 s", None, "tasks.ping"),
            ("apscheduler", None, "hour=2, minute=30", "Europe/Berlin", "send_report"),
            ("apscheduler", "*/5 * * * *", None, None, "poll"),
            ("apscheduler", None, "minutes=10", None, "heartbeat"),
            ("schedule", None, 'every().day.at("02:30")', None, "backup"),
        ],
        key=str,
    )


def test_deploy_command_in_a_docstring() -> None:
    facts = _schedules(
        "flows/report.py",
        '''
        """Weekly report flow.

        Deploy:  prefect deployment build flows/report.py:weekly_report -n weekly \\
                     --cron "0 7 * * MON" --timezone Europe/Paris -q default
        """
        from prefect import flow

        @flow
        def weekly_report(): ...
        ''',
    )
    assert [_when(f) for f in facts] == [("prefect", "0 7 * * MON", None, "Europe/Paris", "weekly_report")]
    span = facts[0].source.span
    assert (span.start_line, span.end_line) == (3, 4)
    assert facts[0].source.quote == '--cron "0 7 * * MON" --timezone Europe/Paris -q default'


def test_keywords_that_are_not_schedules() -> None:
    facts = _schedules(
        "misc.py",
        """
        import httpx

        retry = httpx.Retry(interval=5)
        job = make_job(schedule="nightly", every=3)
        row = "1 2 3 4 5"
        """,
    )
    assert facts == []


def test_test_files_set_no_schedules() -> None:
    assert _schedules("tests/test_flow.py", 'flow.serve(name="t", cron="0 1 * * *")\n') == []


def test_text_lines_crontab_and_prose() -> None:
    lines = [
        "CRON_TZ=Europe/Berlin",
        "# m h dom mon dow command",
        "15 3 * * 1-5 cd /srv/app && python -m etl.run --full",
        "@hourly /usr/local/bin/refresh.sh",
    ]
    crontab = text_schedule_facts("deploy/crontab", lines)
    assert [_when(f) for f in crontab] == [
        ("crontab", "15 3 * * 1-5", None, "Europe/Berlin", "cd /srv/app && python -m etl.run --full"),
        ("crontab", "@hourly", None, "Europe/Berlin", "/usr/local/bin/refresh.sh"),
    ]
    readme = [
        "The export runs nightly (cron `0 4 * * *`, UTC).",
        "| run | 1 | 2 | 3 | 4 |",
        "Rows: 1 2 3 4 5 per batch",
        "    0 5 * * * python retrain.py",
        "We use `0 4 * * *` here too.",  # a quoted expression on a line that does not say schedule
    ]
    facts = text_schedule_facts("README.md", readme)
    assert [(_when(f), f.source.span.start_line) for f in facts] == [
        (("other", "0 4 * * *", None, "UTC", None), 1),
        (("crontab", "0 5 * * *", None, None, "python retrain.py"), 4),
    ]


PREFECT_YAML = """\
deployments:
- name: nightly
  entrypoint: flows/nightly.py:nightly_forecast
  schedules:
  - cron: "30 2 * * *"
    timezone: Europe/Berlin
- name: refresh
  entrypoint: flows/refresh.py:refresh
  schedules:
  - interval: 600
"""
K8S = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: score-batch
spec:
  schedule: "*/30 * * * *"
  timeZone: Etc/UTC
  jobTemplate: {}
"""


def test_config_files() -> None:
    prefect = config_schedule_facts("prefect.yaml", PREFECT_YAML)
    assert [(_when(f), f.source.span.start_line) for f in prefect] == [
        (("prefect", "30 2 * * *", None, "Europe/Berlin", "nightly_forecast"), 5),
        (("prefect", None, "600 s", None, "refresh"), 10),
    ]
    k8s = config_schedule_facts("k8s/cronjob.yaml", K8S)
    assert [_when(f) for f in k8s] == [("kubernetes", "*/30 * * * *", None, "Etc/UTC", "score-batch")]
    vercel = config_schedule_facts("vercel.json", '{"crons": [{"path": "/api/sync", "schedule": "0 5 * * *"}]}')
    assert [_when(f) for f in vercel] == [("other", "0 5 * * *", None, None, "/api/sync")]
    assert config_schedule_facts("config.yaml", "report:\n  schedule: nightly\n") == []


def test_ingest_reads_workflow_and_crontab_files(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "retrain.yml").write_text(
        "name: Nightly retrain\non:\n  schedule:\n    - cron: '0 3 * * 1'\njobs:\n  train:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: python train.py\n",
        encoding="utf-8",
    )
    (tmp_path / "etl.crontab").write_text("0 1 * * * python etl.py\n", encoding="utf-8")
    facts = [f for f in ingest(tmp_path).facts if f.kind is FactKind.SCHEDULE]
    assert sorted((f.source.path, f.source.span.start_line, _when(f)) for f in facts) == [
        (".github/workflows/retrain.yml", 4, ("github", "0 3 * * 1", None, None, "Nightly retrain")),
        ("etl.crontab", 1, ("crontab", "0 1 * * *", None, None, "python etl.py")),
    ]
