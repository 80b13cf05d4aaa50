"""HR policy Q&A agent (prototype)."""
