"""The TUI's modal screens: prompts, the inline editor, the save and refine diffs, findings."""

from specagent.tui.screens.confirm import ConfirmScreen
from specagent.tui.screens.edit import EditScreen
from specagent.tui.screens.findings import FindingsScreen
from specagent.tui.screens.prompt import PromptScreen
from specagent.tui.screens.refine import RefineScreen, refine_diff
from specagent.tui.screens.save import SaveScreen

__all__ = [
    "ConfirmScreen",
    "EditScreen",
    "FindingsScreen",
    "PromptScreen",
    "RefineScreen",
    "SaveScreen",
    "refine_diff",
]
