"""The TUI's widgets. They show what the app hands them and post messages; none calls the pipeline."""

from specagent.tui.widgets.evidence_panel import EvidencePanel
from specagent.tui.widgets.footer import WrappingFooter
from specagent.tui.widgets.item_view import ItemView, item_markdown
from specagent.tui.widgets.progress import PipelineProgress
from specagent.tui.widgets.spec_tree import SpecTree, TreeRow
from specagent.tui.widgets.status import StatusLine

__all__ = [
    "EvidencePanel",
    "ItemView",
    "PipelineProgress",
    "SpecTree",
    "StatusLine",
    "TreeRow",
    "WrappingFooter",
    "item_markdown",
]
