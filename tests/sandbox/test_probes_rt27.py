"""rt27sbx's sandbox probes (session 27): what got through, each failing on the code before.

- The model-loading workers (trojan probe, leak test, data-scan models) bind what the model
  folder's symlinks reach, so a folder shipping ``notes.txt -> /root/.ssh/id_rsa`` had the
  whole of ``/root/.ssh`` bound into the sandbox (and its 0600 files staged readable for the
  sandbox's uid): the loader read the host's secret.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from airlock.sandbox import calls, runner
from airlock.sandbox.worker import run_python

needs_sandbox = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)


def _secret(tmp_path: Path) -> Path:
    """A host folder only its owner may enter, holding a 0600 file."""
    d = tmp_path / "host-secrets"
    d.mkdir()
    (d / "id_rsa").write_text("HOST-SECRET\n")
    (d / "id_rsa").chmod(0o600)
    d.chmod(0o700)
    return d


def _hostile_model(tmp_path: Path, secret: Path) -> Path:
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "notes.txt").symlink_to(secret / "id_rsa")
    (model / "extra").symlink_to(secret)
    return model


def test_a_model_folders_links_do_not_choose_the_sandboxs_binds(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    model = _hostile_model(tmp_path, secret)
    assert calls.visible_paths(model) == {model.resolve()}
    assert calls.policy_for([model]).ro_paths == (model.resolve(),)


def test_a_fake_snapshots_blobs_link_is_not_followed(tmp_path: Path) -> None:
    """A folder laid out like a cache snapshot whose ``blobs`` is itself a link elsewhere."""
    secret = _secret(tmp_path)
    snap = tmp_path / "repo" / "snapshots" / "abc"
    snap.mkdir(parents=True)
    (tmp_path / "repo" / "blobs").symlink_to(secret)
    (snap / "model.safetensors").symlink_to(Path("../../blobs/id_rsa"))
    assert calls.visible_paths(snap) == {snap.resolve()}


def test_real_snapshot_links_into_blobs_are_still_bound(tmp_path: Path) -> None:
    snap = tmp_path / "repo" / "snapshots" / "abc"
    blobs = tmp_path / "repo" / "blobs"
    snap.mkdir(parents=True)
    blobs.mkdir()
    (blobs / "f00d").write_text("{}")
    (snap / "config.json").symlink_to(Path("../../blobs/f00d"))
    (snap / "inside").symlink_to(snap / "config.json")
    assert calls.visible_paths(snap) == {snap.resolve(), blobs.resolve()}


@needs_sandbox
def test_a_sandboxed_loader_cannot_read_through_the_model_folders_links(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    model = _hostile_model(tmp_path, secret)
    code = (
        "import sys\n"
        "for p in sys.argv[1:]:\n"
        "    try:\n"
        "        print(open(p).read().strip() if not p.endswith('extra') else __import__('os')"
        ".listdir(p))\n"
        "    except OSError as e:\n"
        "        print('refused', e.errno)\n"
    )
    pol = calls.policy_for([model])
    res = run_python(code, pol, [str(model / "notes.txt"), str(model / "extra")])
    out = res.stdout.decode()
    assert res.returncode == 0, res
    assert "HOST-SECRET" not in out and "id_rsa" not in out, out
    assert out.split() == ["refused", "2", "refused", "2"], out
    assert os.stat(secret).st_mode & 0o777 == 0o700  # nothing on the host changed
