"""Facts from calls: environment variables read, files read and written, services called.

The entry point is ``extract_calls`` (FILE_IO and SERVICE facts, one pass over the file's calls);
``extract_env_vars`` and ``add_setting_env`` (ENV_VAR facts) are re-exported from here. The work
lives in:

* ``python_env``: environment variables read (``os.environ``, ``os.getenv``, settings)
* ``python_file_io``: files read and written (``open``, pathlib, pandas, json, pickle, ...)
* ``python_services``: services and models called (LLM APIs, HTTP, databases, queues, cloud)
* ``python_service_urls``: where an HTTP call points (URL templates, hosts, config lookups)
"""

from __future__ import annotations

from specagent.ingest.python_common import Ctx
from specagent.ingest.python_env import add_setting_env, extract_env_vars
from specagent.ingest.python_file_io import FileIO
from specagent.ingest.python_services import Services

__all__ = ["add_setting_env", "extract_calls", "extract_env_vars"]


def extract_calls(ctx: Ctx) -> None:
    """FILE_IO and SERVICE facts from every call in the file, one pass in source order."""
    files = FileIO(ctx)
    services = Services(ctx)
    for call in ctx.index.calls:
        with ctx.guard("file read/write", call):
            files.visit(call)
        with ctx.guard("service call", call):
            services.visit(call)
    with ctx.guard("file facts"):
        files.finish()
    with ctx.guard("service facts"):
        services.finish()
