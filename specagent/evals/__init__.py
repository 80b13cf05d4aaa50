"""The eval harness: draft the corpus and the real prototypes, score the drafts against gold
facts, compare with the committed baseline, write reports.

Not part of the library: nothing under ``specagent/`` imports it but ``specagent eval`` (the
CLI). Its chart needs matplotlib, the ``eval`` extra (``pip install 'specagent[eval]'``).
"""
