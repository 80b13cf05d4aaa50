"""Walk a prototype and parse every file into Chunks (for retrieval) and Facts (for drafting).

Public API::

    from specagent.ingest import ingest
    result = ingest(Path("prototype"), on_event=sink)   # -> Ingested
    result.files, result.facts, result.chunks, result.warnings, result.texts

Secrets are redacted from each file's text before any parser sees it.
"""

from specagent.ingest.run import Ingested, ingest

__all__ = ["Ingested", "ingest"]
