"""Reading files as text the same way everywhere (ingest, citation checks, diffs)."""

from __future__ import annotations

from pathlib import Path

#: Bytes inspected for a NUL to call a file binary.
SNIFF_BYTES = 8192


class Decoded:
    """Text of a file and how it was decoded (``utf-8``, ``utf-8-sig`` or ``latin-1``)."""

    __slots__ = ("encoding", "text")

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        self.encoding = encoding


def looks_binary(head: bytes) -> bool:
    """A NUL byte in the first block means binary (git's heuristic)."""
    return b"\x00" in head[:SNIFF_BYTES]


def decode(data: bytes) -> Decoded:
    """Decode as UTF-8 (BOM tolerated); fall back to latin-1, which never fails.

    Line endings are normalised to ``\\n`` so line numbers match what editors and GitHub show.
    """
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            text, encoding = data[3:].decode("utf-8"), "utf-8-sig"
        else:
            text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), encoding)


def read_head_lines(path: Path, max_lines: int, max_bytes: int) -> bytes:
    """The first ``max_lines`` complete lines of a file, reading at most ``max_bytes``."""
    with path.open("rb") as handle:
        data = handle.read(max_bytes)
    lines = data.split(b"\n")
    # The last piece may be a cut line unless the whole file fitted.
    if len(data) == max_bytes:
        lines = lines[:-1]
    return b"\n".join(lines[:max_lines]) + b"\n"


def read_text(path: Path) -> Decoded:
    """Read and decode a whole file (raises OSError as the OS does)."""
    return decode(path.read_bytes())
