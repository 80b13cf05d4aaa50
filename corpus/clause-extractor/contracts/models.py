from django.db import models


class ClauseType(models.TextChoices):
    TERMINATION = "termination", "Termination"
    LIABILITY_CAP = "liability_cap", "Limitation of liability"
    GOVERNING_LAW = "governing_law", "Governing law"
    AUTO_RENEWAL = "auto_renewal", "Automatic renewal"
    PAYMENT_TERMS = "payment_terms", "Payment terms"
    OTHER = "other", "Other"


class Contract(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=255)
    file = models.FileField(upload_to="contracts/%Y/%m/")
    counterparty = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    llm_cost_usd = models.DecimalField(max_digits=8, decimal_places=4, default=0)
    uploaded_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["status", "uploaded_at"])]

    def __str__(self):
        return f"{self.title} ({self.status})"


class Clause(models.Model):
    class Source(models.TextChoices):
        RULER = "ruler", "EntityRuler only"
        LLM = "llm", "LLM"
        MANUAL = "manual", "Corrected by a reviewer"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="clauses")
    clause_type = models.CharField(max_length=32, choices=ClauseType.choices)
    heading = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    page_start = models.PositiveIntegerField()
    page_end = models.PositiveIntegerField()
    confidence = models.FloatField()
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.LLM)
    ruler_labels = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract_id", "page_start", "id"]

    def __str__(self):
        return f"{self.clause_type} p.{self.page_start} of contract {self.contract_id}"
