"""Calling Airlock's own functions in the sandbox: results, arrays, refusals, failures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from airlock.errors import UsageError
from airlock.sandbox import calls
from airlock.sandbox.runner import SandboxPolicy
from tests.sandbox.test_sandbox import needs_bwrap


def _minilm() -> Path:
    from airlock.data.models import default_encoder

    return default_encoder()


@needs_bwrap
def test_arrays_come_back_and_match_in_process() -> None:
    from airlock.data.models import sentence_embeddings

    texts = ["a good movie", "the weather is cold today", ""]
    boxed = sentence_embeddings(texts)
    local = sentence_embeddings(texts, sandbox="off")
    assert boxed.shape == (3, 384) and boxed.dtype == np.float32
    assert np.allclose(boxed, local, atol=1e-5)


@needs_bwrap
def test_callee_refusals_keep_their_class(tmp_path: Path) -> None:
    """A BERT encoder is not a causal LM: the sandboxed leak test refuses with a UsageError,
    as the in-process one does, not with a crash report."""
    from airlock.data.leak import leak_test

    with pytest.raises(UsageError, match="causal LM"):
        leak_test(_minilm(), ["my pin is 1 2 3 4"], None)


@needs_bwrap
def test_worker_failure_and_limits_are_clear_errors() -> None:
    pol = calls.policy_for([_minilm()])
    assert not pol.allow_net and _minilm().resolve() in pol.ro_paths
    starved = SandboxPolicy(ro_paths=pol.ro_paths, memory_mb=96, wall_seconds=60)
    args = {"encoder": str(_minilm()), "texts": ["x"]}
    with pytest.raises(calls.IsolatedCallFailed, match="sandboxed embed failed"):
        with calls.isolated_call("airlock.data.models.embed_entry", args, starved):
            pass
    with pytest.raises(calls.IsolatedCallFailed, match="failed"):  # no such function
        with calls.isolated_call("airlock.data.models.no_such_entry", {}, pol):
            pass


def test_only_airlock_functions_and_safe_arrays(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        with calls.isolated_call("os.system", {"command": "true"}, SandboxPolicy()):
            pass
    np.save(tmp_path / "good.npy", np.arange(3))
    assert calls.read_array(tmp_path, "good").tolist() == [0, 1, 2]
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(calls.IsolatedCallFailed):  # an object array would need unpickling
        calls.read_array(tmp_path, "obj")
    (tmp_path / "link.npy").symlink_to(tmp_path / "good.npy")
    with pytest.raises(calls.IsolatedCallFailed):
        calls.read_array(tmp_path, "link")
    with pytest.raises(calls.IsolatedCallFailed):
        calls.read_array(tmp_path, "../good")
    with pytest.raises(calls.IsolatedCallFailed):
        calls.read_array(tmp_path, "missing")


def test_visible_paths_follow_links_in_subfolders(tmp_path: Path) -> None:
    """A Hugging Face snapshot whose only links sit in a subfolder still binds the blobs."""
    blobs = tmp_path / "blobs"
    pooling = tmp_path / "snapshots" / "abc" / "1_Pooling"
    blobs.mkdir()
    pooling.mkdir(parents=True)
    (blobs / "f00d").write_text("{}")
    (pooling / "config.json").symlink_to(Path("../../../blobs/f00d"))
    (pooling.parent / "loop").symlink_to(pooling.parent / "loop")  # unresolvable: skipped
    snap = pooling.parent
    assert calls.visible_paths(snap) == {snap.resolve(), blobs.resolve()}
    assert calls.visible_paths(snap / "missing.safetensors") == {(snap / "missing.safetensors")}
