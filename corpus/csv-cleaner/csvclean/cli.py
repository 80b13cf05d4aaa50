"""The ``csvclean`` command line: clean, validate and profile CSV/JSON order exports.

Exit codes: 0 ok, 1 validation failed, 2 usage error (click), 3 unreadable input or schema.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from csvclean import __version__
from csvclean.cleaning import clean_rows, infer_type, normalize_header
from csvclean.io import SUPPORTED_FORMATS, read_table, write_table
from csvclean.schema import SchemaError, TableSchema, load_schema, validate_rows

EXIT_INVALID = 1
EXIT_BAD_INPUT = 3

input_option = click.option(
    "--input",
    "-i",
    "input_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="CSV or JSON file to read (format from the extension).",
)
delimiter_option = click.option(
    "--delimiter",
    "-d",
    default=",",
    show_default=True,
    help="Field delimiter for CSV input; use 'auto' to sniff it.",
)
encoding_option = click.option(
    "--encoding",
    default="utf-8-sig",
    show_default=True,
    help="Text encoding of the input file.",
)


def _load_schema_or_exit(path: Path | None) -> TableSchema | None:
    if path is None:
        return None
    try:
        return load_schema(path)
    except (SchemaError, TypeError) as exc:
        click.echo(f"error: bad schema {path}: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


def _read_or_exit(path: Path, delimiter: str, encoding: str) -> list[dict]:
    try:
        return read_table(path, delimiter=None if delimiter == "auto" else delimiter,
                          encoding=encoding)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        click.echo(f"error: cannot read {path}: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csvclean")
@click.option("--quiet", "-q", is_flag=True, help="Only print errors.")
@click.pass_context
def main(ctx: click.Context, quiet: bool) -> None:
    """Clean and validate CSV/JSON order exports before they are loaded."""
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


@main.command()
@input_option
@click.option(
    "--output",
    "-o",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the cleaned file.",
)
@delimiter_option
@encoding_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(SUPPORTED_FORMATS),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSON column schema used to coerce types (e.g. schemas/orders.schema.json).",
)
@click.option(
    "--dedupe/--no-dedupe",
    default=True,
    show_default=True,
    help="Drop duplicate rows (by --dedupe-key, else the schema primary_key, else whole row).",
)
@click.option(
    "--dedupe-key",
    multiple=True,
    help="Column to compare when de-duplicating; repeat for several.",
)
@click.option("--trim/--no-trim", default=True, show_default=True, help="Trim whitespace.")
@click.option(
    "--drop-invalid",
    is_flag=True,
    default=False,
    help="Drop rows whose required columns are empty after cleaning.",
)
@click.pass_context
def clean(
    ctx: click.Context,
    input_path: Path,
    output_path: Path,
    delimiter: str,
    encoding: str,
    output_format: str,
    schema_path: Path | None,
    dedupe: bool,
    dedupe_key: tuple[str, ...],
    trim: bool,
    drop_invalid: bool,
) -> None:
    """Clean INPUT and write it to OUTPUT as CSV or JSON."""
    schema = _load_schema_or_exit(schema_path)
    rows = _read_or_exit(input_path, delimiter, encoding)
    result = clean_rows(
        rows,
        schema,
        dedupe=dedupe,
        dedupe_key=list(dedupe_key) or None,
        trim=trim,
        drop_invalid=drop_invalid,
    )
    fieldnames = schema.column_names if schema else None
    write_table(result.rows, output_path, fmt=output_format, fieldnames=fieldnames)
    if not ctx.obj["quiet"]:
        click.echo(f"{input_path} -> {output_path}: {result.summary()}")


@main.command()
@input_option
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="JSON column schema to validate against.",
)
@delimiter_option
@encoding_option
@click.option(
    "--max-null-ratio",
    type=click.FloatRange(0.0, 1.0),
    default=0.1,
    show_default=True,
    help="Fail when any column has a larger share of empty values.",
)
@click.option(
    "--clean-first/--no-clean-first",
    default=True,
    show_default=True,
    help="Run the cleaning pipeline (without de-duplication) before validating.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the full ValidationReport as JSON here.",
)
@click.option("--max-issues", type=int, default=20, show_default=True,
              help="How many issues to print.")
@click.pass_context
def validate(
    ctx: click.Context,
    input_path: Path,
    schema_path: Path,
    delimiter: str,
    encoding: str,
    max_null_ratio: float,
    clean_first: bool,
    report_path: Path | None,
    max_issues: int,
) -> None:
    """Check INPUT against a column schema; exit 1 when it does not conform."""
    schema = _load_schema_or_exit(schema_path)
    assert schema is not None  # required option
    rows = _read_or_exit(input_path, delimiter, encoding)
    if clean_first:
        rows = clean_rows(rows, schema, dedupe=False).rows
    report = validate_rows(rows, schema, max_null_ratio=max_null_ratio)

    if report_path is not None:
        report_path.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
    if not ctx.obj["quiet"]:
        for issue in report.issues[:max_issues]:
            click.echo(f"row {issue.row}: {issue.column}: [{issue.code}] {issue.message}")
        for column in report.columns_over_null_limit:
            click.echo(
                f"column {column}: null ratio {report.null_ratios[column]:.2f} "
                f"> {max_null_ratio:.2f}"
            )
        if report.missing_columns:
            click.echo(f"missing columns: {', '.join(report.missing_columns)}")
        status = "OK" if report.ok else "FAILED"
        click.echo(f"{status}: {report.rows_checked} rows, {len(report.issues)} issues")
    if not report.ok:
        sys.exit(EXIT_INVALID)


@main.command()
@input_option
@delimiter_option
@encoding_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Print a table or a JSON document.",
)
@click.option("--top", type=int, default=3, show_default=True,
              help="Most frequent values to show per column.")
def profile(
    input_path: Path, delimiter: str, encoding: str, output_format: str, top: int
) -> None:
    """Summarise each column of INPUT: inferred type, null ratio, distinct and top values."""
    rows = _read_or_exit(input_path, delimiter, encoding)
    rows = clean_rows(rows, None, dedupe=False).rows
    columns = list(rows[0].keys()) if rows else []
    stats = []
    for name in columns:
        values = [r.get(name) for r in rows]
        present = [v for v in values if v is not None]
        stats.append(
            {
                "column": normalize_header(name),
                "type": infer_type(values),
                "null_ratio": round(1 - len(present) / len(values), 3) if values else 0.0,
                "distinct": len(set(present)),
                "top": Counter(present).most_common(top),
            }
        )
    if output_format == "json":
        click.echo(json.dumps({"rows": len(rows), "columns": stats}, indent=2))
        return
    click.echo(f"{len(rows)} rows, {len(columns)} columns")
    for s in stats:
        top_values = ", ".join(f"{v} ({n})" for v, n in s["top"])
        click.echo(
            f"{s['column']:<16} {s['type']:<8} nulls={s['null_ratio']:<6} "
            f"distinct={s['distinct']:<5} top: {top_values}"
        )


# TODO: a `fix` subcommand that writes rejected rows to a quarantine file for the ops team.

if __name__ == "__main__":
    main()
