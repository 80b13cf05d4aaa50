from django.contrib import admin

from .models import Clause, Contract


class ClauseInline(admin.TabularInline):
    model = Clause
    extra = 0
    fields = ("clause_type", "heading", "page_start", "confidence", "source")


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("title", "counterparty", "status", "page_count", "llm_cost_usd", "uploaded_at")
    list_filter = ("status",)
    inlines = [ClauseInline]
