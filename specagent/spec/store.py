"""Writing a spec safely: atomic files, and never over a person's edits.

Beside SPEC.md and spec.json, specagent keeps ``.specagent-state.json`` with the sha256 of what
it last wrote. A SPEC.md whose hash differs (or that specagent never wrote) was edited by a
person and is not overwritten unless the caller forces it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from specagent.config import STATE_FILE
from specagent.errors import EditedSpecError, OutputPathError
from specagent.fileio import atomic_write_text

SPEC_MD = "SPEC.md"
SPEC_JSON = "spec.json"
STATE = STATE_FILE


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def atomic_write(path: Path, text: str) -> None:
    """Write ``path`` atomically (see :func:`specagent.fileio.atomic_write_text`).

    Raises OutputPathError (one line) when the folder cannot be created or written.
    """
    try:
        if path.parent.exists() and not path.parent.is_dir():
            raise OutputPathError(f"{path.parent} is a file, not a folder; pass --out a folder")
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(f"cannot write to {path.parent}: {exc.strerror or exc}") from None
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise OutputPathError(f"cannot write {path}: {exc.strerror or exc}") from None


def _state(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def edited_files(out_dir: Path) -> list[str]:
    """Spec files in ``out_dir`` that changed since specagent wrote them (or it never did)."""
    state = _state(out_dir)
    edited = []
    for name in (SPEC_MD, SPEC_JSON):
        path = out_dir / name
        if path.exists() and state.get(name) != sha256_file(path):
            edited.append(name)
    return edited


def check_writable(out_dir: Path, force: bool) -> list[str]:
    """Raise EditedSpecError when writing would lose a person's edits; return the edited names."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputPathError(f"{out_dir} is a file, not a folder; pass --out a folder")
    edited = edited_files(out_dir)
    if edited and not force:
        names = " and ".join(str(out_dir / n) for n in edited)
        wrote = "changed since specagent wrote it" if _state(out_dir) else "was not written by specagent"
        raise EditedSpecError(
            f"{names} {wrote}; not overwriting your edits "
            "(rerun with --update to re-draft around your edits, or --force to keep only locked items)"
        )
    return edited


def back_up(out_dir: Path, names: list[str]) -> list[Path]:
    """Copy edited spec files to ``NAME.bak`` (byte for byte) before a forced rewrite."""
    backups = []
    for name in names:
        backup = out_dir / f"{name}.bak"
        try:
            shutil.copyfile(out_dir / name, backup)
        except OSError as exc:
            raise OutputPathError(f"cannot keep a copy of {out_dir / name}: {exc.strerror or exc}") from None
        backups.append(backup)
    return backups


def write_spec_files(out_dir: Path, markdown: str, spec_json: str) -> list[Path]:
    """Write SPEC.md and spec.json atomically and record their hashes."""
    written = []
    hashes = {}
    for name, text in ((SPEC_JSON, spec_json), (SPEC_MD, markdown)):
        path = out_dir / name
        atomic_write(path, text)
        hashes[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        written.append(path)
    atomic_write(out_dir / STATE, json.dumps(hashes, indent=2, sort_keys=True) + "\n")
    return written


def record_written(out_dir: Path, texts: dict[str, str]) -> None:
    """Record ``texts`` (name -> what was written) as specagent's own, keeping other entries."""
    if not texts:
        return
    state = _state(out_dir)
    for name, text in texts.items():
        state[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    atomic_write(out_dir / STATE, json.dumps(state, indent=2, sort_keys=True) + "\n")
