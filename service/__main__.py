"""`python -m service` is the `brief` command."""

from .cli import main

main()
