"""The synthetic catalogues of bench/generate.py, for the tests that need many valid entries."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).parent.parent


def generate(n: int, root: Path, seed: int = 0) -> Path:
    """A valid synthetic catalogue of n entries (bench/generate.py) under root."""
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    module.generate(n, root, seed)
    return root
