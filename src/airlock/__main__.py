"""``python -m airlock`` is the ``airlock`` command."""

from airlock.cli import main

main()
