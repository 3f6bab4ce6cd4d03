"""python -m paradecat."""

from .cli import main

main()
