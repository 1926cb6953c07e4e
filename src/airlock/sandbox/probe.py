"""What isolation this machine offers, for ``airlock sandbox probe`` and ``airlock doctor``."""

from __future__ import annotations

import os
import subprocess
from typing import Any

from airlock.sandbox import cgroup, landlock, netns, runner, seccomp


def probe() -> dict[str, Any]:
    """Backends found at run time; ``usable`` is what ``sandbox run`` would rely on."""
    bw = runner.bwrap_path()
    version = None
    if bw:
        try:
            r = subprocess.run([bw, "--version"], capture_output=True, text=True, timeout=10)
            version = r.stdout.strip() or None
        except (OSError, subprocess.TimeoutExpired):
            version = None
    works = bool(bw) and runner.bwrap_works()
    return {
        "bubblewrap": {"path": bw, "version": version, "namespaces_work": works},
        "seccomp": {"libseccomp": seccomp.available()},
        "landlock": {"abi": landlock.abi_version()},
        "rlimits": True,
        # RLIMIT_NPROC does not bind root: there the pids cgroup is the process limit
        "process_limit": {
            "pids_cgroup": cgroup.usable(),
            "rlimit_nproc_binds": os.geteuid() != 0,
        },
        # RLIMIT_AS is per process and misses tmpfs/memfd pages: the memory cgroup bounds the
        # tree; without one, the size-limited tmpfs mounts still bound /tmp and /dev/shm
        "memory_limit": {"memory_cgroup": cgroup.memory_parent_dir() is not None},
        # --allow-net's own network namespace (refused without it)
        "network": {"slirp4netns": netns.slirp_path()},
        "usable": works and seccomp.available(),
        "hint": None if works else "install the Debian package 'bubblewrap' (and 'libseccomp2')",
    }
