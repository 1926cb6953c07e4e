"""The pids group a sandboxed child joins survives pid reuse (a leftover group of an earlier
child that had the same pid under the same creator)."""

from __future__ import annotations

import os

import pytest

from airlock.sandbox import cgroup


def test_enter_reuses_a_leftover_group_of_a_reused_pid() -> None:
    parent = cgroup.parent_dir()
    if parent is None:
        pytest.skip("no writable pids cgroup here")
    pid = os.fork()
    if pid == 0:  # child: a leftover group already has our name, as after pid reuse
        code = 1
        try:
            os.mkdir(cgroup.group_path(parent, os.getppid(), os.getpid()))
            cgroup.enter(parent, 16)
            joined = cgroup.group_path(parent, os.getppid(), os.getpid()) / "cgroup.procs"
            code = 0 if str(os.getpid()) in joined.read_text().split() else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    group = cgroup.group_path(parent, os.getpid(), pid)
    cgroup.remove(group)
    assert os.waitstatus_to_exitcode(status) == 0
    assert not group.exists()
