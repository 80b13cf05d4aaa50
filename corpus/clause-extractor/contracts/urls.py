from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register(r"contracts", views.ContractViewSet, basename="contract")

urlpatterns = [
    path("upload/", views.upload_view, name="upload"),
    path("contracts/<int:pk>/", views.contract_detail_page, name="contract-detail-page"),
    path("api/", include(router.urls)),
]
