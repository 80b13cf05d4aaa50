"""aiohttp routes, and Django/DRF routes joined across urls.py include()s, routers and views."""

from __future__ import annotations

from pathlib import Path

from specagent.ingest import ingest

AIOHTTP = """
from aiohttp import web

async def health(request):
    return web.json_response({"ok": True})

async def predict(request):
    reader = await request.multipart()
    async for part in reader:
        if part.name == "image":
            pass
    if request.query.get("fast"):
        raise web.HTTPBadRequest(text="no fast mode")
    return web.json_response({"error": "bad image"}, status=422)

def make():
    app = web.Application()
    app.router.add_get("/health", health)
    app.add_routes([web.post("/predict", predict)])
    return app
"""

ROOT_URLS = """
from django.urls import include, path
urlpatterns = [path("", include("shop.urls"))]
"""
APP_URLS = """
from django.urls import include, path
from rest_framework.routers import DefaultRouter
from . import views
router = DefaultRouter()
router.register(r"orders", views.OrderViewSet)
urlpatterns = [path("form/", views.form_view), path("api/", include(router.urls))]
"""
VIEWS = """
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

class OrderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    def create(self, request):
        return Response({}, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request, pk=None):
        return Response({"detail": "too late"}, status=status.HTTP_409_CONFLICT)

def form_view(request):
    if request.method == "POST":
        pass
    return None
"""


def _routes(root: Path) -> dict[str, dict]:
    return {f.name: f.detail.model_dump() for f in ingest(root).facts if f.kind.value == "http_route"}


def test_aiohttp_routes_methods_params_and_errors(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(AIOHTTP)
    routes = _routes(tmp_path)
    assert sorted(routes) == ["GET /health", "POST /predict"]
    predict = routes["POST /predict"]
    assert predict["framework"] == "aiohttp"
    assert predict["handler"] == "predict"
    assert sorted(predict["params"]) == ["fast", "image"]
    assert [(e["status"], e["message"]) for e in predict["errors"]] == [(400, "no fast mode"), (422, "bad image")]


def test_django_routes_joined_across_files(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "urls.py").write_text(ROOT_URLS)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "urls.py").write_text(APP_URLS)
    (tmp_path / "shop" / "views.py").write_text(VIEWS)
    routes = _routes(tmp_path)
    assert sorted(routes) == [
        "GET /api/orders/",
        "GET /form/",
        "POST /api/orders/",
        "POST /api/orders/<pk>/cancel/",
        "POST /form/",
    ]
    assert routes["POST /api/orders/"]["success"] == [202]
    assert routes["POST /api/orders/"]["handler"] == "OrderViewSet.create"
    assert [e["status"] for e in routes["POST /api/orders/<pk>/cancel/"]["errors"]] == [409]
    assert routes["POST /api/orders/<pk>/cancel/"]["params"] == ["pk"]


def test_django_route_cites_the_lines_that_write_its_path(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "urls.py").write_text(ROOT_URLS)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "urls.py").write_text(APP_URLS)
    (tmp_path / "shop" / "views.py").write_text(VIEWS)
    mounts = _routes(tmp_path)["GET /api/orders/"]["mounts"]
    assert [(m["path"], m["line"]) for m in mounts] == [("shop/urls.py", 6), ("site/urls.py", 3), ("shop/urls.py", 7)]


def test_the_django_admin_site_is_no_route_of_the_product() -> None:
    from specagent.ingest.models import FactKind
    from specagent.ingest.python_parser import parse_python

    src = (
        "from django.contrib import admin\nfrom django.urls import path\nfrom . import views\n\n"
        'urlpatterns = [\n    path("admin/", admin.site.urls),\n    path("health/", views.health),\n]\n'
    )
    routes = [f for f in parse_python("proj/urls.py", src).facts if f.kind == FactKind.HTTP_ROUTE]
    assert [f.detail.path for f in routes] == ["/health/"]
