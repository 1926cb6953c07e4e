"""Session 27 review (review27): the --rw quota watch and folders nested past PATH_MAX.

``rw_usage`` lists folders by path; one nested deeper than PATH_MAX (4096 bytes) cannot be
(ENAMETOOLONG) and was skipped, so ``airlock sandbox run --rw D --rw-quota-mb 8`` let a command
that made twenty 250-character folders (with openat) write 50 MB at the bottom. A folder that
cannot be listed for any reason but being gone now counts as over the quota."""

from __future__ import annotations

import math
import os
from pathlib import Path

from airlock.sandbox import runner


def _deep(root: Path, levels: int = 20) -> None:
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d" * 250, dir_fd=fd)
            sub = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = sub
        w = os.open("big.bin", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(w, b"x" * (2 << 20))
        os.close(w)
    finally:
        os.close(fd)


def test_a_folder_nested_past_path_max_counts_as_over(tmp_path: Path) -> None:
    _deep(tmp_path)
    assert runner.rw_usage([tmp_path]) == math.inf


def test_shallow_folders_still_count(tmp_path: Path) -> None:
    _deep(tmp_path, levels=2)
    assert 2 << 20 <= runner.rw_usage([tmp_path]) < 4 << 20
    assert runner.rw_usage([tmp_path / "gone"]) == 0
