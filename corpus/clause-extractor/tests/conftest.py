import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient


@pytest.fixture
def api(db):
    user = User.objects.create_user("paralegal", password="x")
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def no_celery(monkeypatch):
    """Never talk to Redis in tests."""
    monkeypatch.setattr("contracts.tasks.extract_clauses.delay", lambda *a, **k: None)
