"""The floor: one process that only loads every catalogue file with PyYAML's CSafeLoader.

    python bench/floor.py DIR

No checks, no positions, nothing kept: what any YAML-based validator has to pay at least.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main(root: Path) -> int:
    count = 0
    for path in sorted(root.glob("catalog/*/*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        count += 1
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
