"""Upload page and the results API.

Routes (see contracts/urls.py):
    GET  /upload/                          HTML form for paralegals
    POST /upload/                          same, form post
    GET  /api/contracts/                   list contracts (?status=done)
    POST /api/contracts/                   upload a PDF (multipart: file, title, counterparty)
    GET  /api/contracts/<id>/              one contract with status and cost
    GET  /api/contracts/<id>/clauses/      extracted clauses (?type=liability_cap)
    POST /api/contracts/<id>/reextract/    queue extraction again
"""
import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import ClauseType, Contract
from .serializers import ClauseSerializer, ContractSerializer
from .tasks import extract_clauses

log = logging.getLogger(__name__)


class ContractViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ContractSerializer
    queryset = Contract.objects.all()

    def get_queryset(self):
        qs = super().get_queryset()
        wanted = self.request.query_params.get("status")
        if wanted:
            qs = qs.filter(status=wanted)
        return qs

    def perform_create(self, serializer):
        contract = serializer.save(uploaded_by=self.request.user)
        # on_commit so the worker never sees a contract that is not in the DB yet
        from django.db import transaction

        transaction.on_commit(lambda: extract_clauses.delay(contract.id))
        log.info("queued extraction for contract %s", contract.id)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response.status_code = status.HTTP_202_ACCEPTED
        return response

    @action(detail=True, methods=["get"], url_path="clauses")
    def clauses(self, request, pk=None):
        contract = self.get_object()
        qs = contract.clauses.all()
        clause_type = request.query_params.get("type")
        if clause_type:
            if clause_type not in ClauseType.values:
                return Response(
                    {"detail": f"unknown clause type {clause_type!r}"},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            qs = qs.filter(clause_type=clause_type)
        else:
            # the register never wants "other"
            qs = qs.exclude(clause_type=ClauseType.OTHER)
        return Response(
            {
                "contract_id": contract.id,
                "status": contract.status,
                "clauses": ClauseSerializer(qs, many=True).data,
            }
        )

    @action(detail=True, methods=["post"], url_path="reextract")
    def reextract(self, request, pk=None):
        contract = self.get_object()
        if contract.status == Contract.Status.PROCESSING:
            return Response({"detail": "already processing"}, status=status.HTTP_409_CONFLICT)
        contract.status = Contract.Status.PENDING
        contract.save(update_fields=["status"])
        extract_clauses.delay(contract.id)
        return Response({"id": contract.id, "status": contract.status}, status=202)


@login_required
def upload_view(request):
    """Plain Django form for the paralegals; the API does the same thing."""
    error = None
    if request.method == "POST":
        serializer = ContractSerializer(
            data={
                "title": request.POST.get("title") or request.FILES["file"].name,
                "counterparty": request.POST.get("counterparty", ""),
                "file": request.FILES.get("file"),
            }
        )
        if serializer.is_valid():
            contract = serializer.save(uploaded_by=request.user)
            extract_clauses.delay(contract.id)
            return redirect("contract-detail-page", pk=contract.id)
        error = serializer.errors
    recent = Contract.objects.filter(uploaded_by=request.user)[:20]
    return render(request, "contracts/upload.html", {"error": error, "recent": recent})


@login_required
def contract_detail_page(request, pk):
    contract = Contract.objects.get(pk=pk)  # FIXME: 500 instead of 404 on a bad id
    return render(request, "contracts/upload.html", {"contract": contract, "recent": []})
