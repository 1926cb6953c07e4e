"""``python -m airlock`` is the ``airlock`` command."""

from airlock._entry import main

main()
