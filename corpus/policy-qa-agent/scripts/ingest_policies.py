"""Ingest HR policy PDFs into pgvector.

    python scripts/ingest_policies.py ingest ./policies --version 2024.1 --country DE
    python scripts/ingest_policies.py stats

File names must look like HR-LV-004_Annual-Leave.pdf (policy id, underscore, title).
"""
from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Optional

import tiktoken
import typer
from pypdf import PdfReader
from sqlalchemy import delete, func, select

sys.path.append(str(Path(__file__).resolve().parent.parent))
from policy_agent.retrieval import Base, PolicyChunkRow, embedder, session  # noqa: E402

app = typer.Typer(help="Load HR policy PDFs into the policy_chunks table.")
ENC = tiktoken.get_encoding("cl100k_base")
FILENAME_RE = re.compile(r"^(?P<policy_id>HR-[A-Z]{2}-\d{3})_(?P<title>.+)\.pdf$")
HEADING_RE = re.compile(r"^\s*(\d+(\.\d+)*)\s+[A-ZÄÖÜ].{2,80}$", re.MULTILINE)


def chunk_page(text: str, chunk_tokens: int, overlap: int) -> list[tuple[str | None, str]]:
    """Split one page into ~chunk_tokens windows; remember the last numbered heading seen."""
    heading = None
    m = None
    for m in HEADING_RE.finditer(text):
        pass
    if m:
        heading = m.group(0).strip()
    tokens = ENC.encode(text)
    out = []
    step = max(chunk_tokens - overlap, 1)
    for start in range(0, len(tokens), step):
        piece = ENC.decode(tokens[start:start + chunk_tokens]).strip()
        if len(piece) > 40:
            out.append((heading, piece))
    return out


@app.command()
def ingest(
    source_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Folder of policy PDFs"),
    version: str = typer.Option(..., "--version", "-v", help="Policy version label, e.g. 2024.1"),
    effective_date: Optional[datetime] = typer.Option(None, "--effective-date", formats=["%Y-%m-%d"],
                                                      help="Date the version takes effect"),
    country: str = typer.Option("DE", "--country", "-c", help="DE, AT or PL"),
    chunk_tokens: int = typer.Option(400, "--chunk-tokens", help="Tokens per chunk"),
    overlap: int = typer.Option(60, "--overlap", help="Token overlap between chunks"),
    replace: bool = typer.Option(False, "--replace", help="Delete older versions of the same policy first"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Parse and chunk, don't embed or write"),
) -> None:
    """Parse, chunk, embed and store every PDF in SOURCE_DIR."""
    country = country.upper()
    if country not in {"DE", "AT", "PL"}:
        raise typer.BadParameter("country must be DE, AT or PL")
    pdfs = sorted(source_dir.glob("*.pdf"))
    if not pdfs:
        typer.echo("no PDFs found")
        raise typer.Exit(1)

    emb = None if dry_run else embedder()
    total = 0
    for pdf in pdfs:
        m = FILENAME_RE.match(pdf.name)
        if not m:
            typer.secho(f"skip {pdf.name}: file name does not match HR-XX-000_Title.pdf", fg="yellow")
            continue
        policy_id, title = m["policy_id"], m["title"].replace("-", " ")
        reader = PdfReader(pdf)
        rows = []
        for page_no, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            # scanned PDFs come back empty; TODO: OCR (3 of the PL policies are scans)
            for heading, piece in chunk_page(text, chunk_tokens, overlap):
                rows.append(dict(policy_id=policy_id, title=title, version=version,
                                 effective_date=effective_date.date() if effective_date else None,
                                 country=country, section=heading, page=page_no, content=piece))
        typer.echo(f"{pdf.name}: {len(reader.pages)} pages -> {len(rows)} chunks")
        total += len(rows)
        if dry_run or not rows:
            continue
        vectors = emb.embed_documents([r["content"] for r in rows])
        with session() as db:
            if replace:
                # NOTE: without --replace old versions stay in the table and are still retrieved
                db.execute(delete(PolicyChunkRow).where(PolicyChunkRow.policy_id == policy_id,
                                                        PolicyChunkRow.country == country))
            db.add_all(PolicyChunkRow(embedding=v, **r) for r, v in zip(rows, vectors))
            db.commit()
    typer.secho(f"done: {len(pdfs)} files, {total} chunks{' (dry run)' if dry_run else ''}", fg="green")


@app.command()
def stats() -> None:
    """Print chunk counts per policy and version."""
    stmt = (select(PolicyChunkRow.policy_id, PolicyChunkRow.version, PolicyChunkRow.country,
                   func.count()).group_by(PolicyChunkRow.policy_id, PolicyChunkRow.version,
                                          PolicyChunkRow.country)
            .order_by(PolicyChunkRow.policy_id))
    with session() as db:
        for policy_id, version, country, n in db.execute(stmt):
            typer.echo(f"{policy_id:<10} {version:<8} {country} {n:>5}")


@app.command()
def init_db() -> None:
    """Create the tables (the vector extension must already exist, see sql/schema.sql)."""
    with session() as db:
        Base.metadata.create_all(db.get_bind())
    typer.echo(f"tables created ({date.today()})")


if __name__ == "__main__":
    app()
