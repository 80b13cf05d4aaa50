import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@pytest.fixture
def config():
    from app.extractor import load_config

    return load_config(str(ROOT / "config" / "extract.yaml"))
