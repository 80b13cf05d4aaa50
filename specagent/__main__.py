"""``python -m specagent``."""

from specagent.cli import main

main()
