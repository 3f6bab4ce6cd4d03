"""`datasette` with its defaults and without third-party plugins: the baseline for bench/serve.py.

    python bench/bare_datasette.py -i DB --port N

Datasette 0.65 loads every plugin installed in the environment, and the project's environment
holds the site's plugins (and paradecat's own). Datasette skips them when sys._called_from_test
is set, which changes nothing else; this sets it and runs the usual command line.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    sys._called_from_test = True  # type: ignore[attr-defined]
    from datasette.cli import cli

    cli(["serve", *sys.argv[1:]])
