from django.conf import settings
from rest_framework import serializers

from .models import Clause, Contract


class ClauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clause
        fields = [
            "id",
            "clause_type",
            "heading",
            "text",
            "page_start",
            "page_end",
            "confidence",
            "source",
        ]


class ContractSerializer(serializers.ModelSerializer):
    clause_count = serializers.IntegerField(source="clauses.count", read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "title",
            "counterparty",
            "file",
            "status",
            "page_count",
            "clause_count",
            "llm_cost_usd",
            "error",
            "uploaded_at",
            "extracted_at",
        ]
        read_only_fields = [
            "status",
            "page_count",
            "llm_cost_usd",
            "error",
            "uploaded_at",
            "extracted_at",
        ]

    def validate_file(self, f):
        if not f.name.lower().endswith(".pdf"):
            raise serializers.ValidationError("Only PDF files are accepted.")
        if f.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise serializers.ValidationError(f"File is larger than {settings.MAX_UPLOAD_MB} MB.")
        return f
