"""CLI command module (filled by its issue)."""
