"""Invoice field extraction prototype."""
