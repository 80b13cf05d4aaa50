"""A non-interactive $EDITOR for the tests: logs its arguments and rewrites the file it edits.

FAKE_EDITOR_LOG: file to append the arguments to (one line per run).
FAKE_EDITOR_SUB: ``old=>new``, replaced once in the edited file (the last argument).
"""

import os
import sys
from pathlib import Path

log = os.environ.get("FAKE_EDITOR_LOG")
if log:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(" ".join(sys.argv[1:]) + "\n")
sub = os.environ.get("FAKE_EDITOR_SUB")
if sub:
    old, new = sub.split("=>", 1)
    target = Path(sys.argv[-1])
    target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
