"""The gate against the real loaders: every generated file that a victim loader executes (in
Airlock's sandbox) must be denied by ``airlock.check``. A bounded slice of the campaign in
``bench/differential/campaign.py``: fixed seeds plus a hypothesis search that shrinks."""

from __future__ import annotations

import io
import pickle
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlock.sandbox import runner
from tests.differential.campaign import Summary, describe, from_chooser, judge, run, seeded
from tests.differential.choice import HypothesisChooser
from tests.differential.oracle import Oracle

pytestmark = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)

SLICE_SEED, SLICE_COUNT = 20261205, 400


@pytest.fixture(scope="module")
def oracle() -> Iterator[Oracle]:
    # tmpfs when there is one: extraction folders are created and removed for every file
    shm = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(prefix="airlock-diff-", dir=shm if shm.is_dir() else None))
    try:
        with Oracle(scratch) as o:
            yield o
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _holes(summary: Summary) -> str:
    return "".join(describe("HOLE", c) for c in summary.holes[:5])


def test_oracle_sees_a_loader_run_the_payload(oracle: Oracle) -> None:
    """The oracle itself can fail: a classic os.system pickle fires under pickle.load and
    torch.load, not under torch.load(weights_only=True); a benign pickle fires nothing."""
    marker = str(oracle.scratch / "m" / "self-test")
    evil = oracle.scratch / "in" / "evil.pkl"
    evil.write_bytes(b"cos\nsystem\n(S'touch " + marker.encode() + b"'\ntR.")
    out = oracle.run(evil, marker)
    assert {"pickle.load", "pickle._Unpickler", "torch.load", "joblib.load"} <= set(out.fired)
    assert "torch.load(weights_only)" not in out.fired
    good = oracle.scratch / "in" / "good.pkl"
    good.write_bytes(pickle.dumps({"w": [1.0, 2.0]}))
    out = oracle.run(good, marker)
    assert out.fired == [] and "pickle.load" in out.loaded


def test_oracle_runs_extraction_and_the_loaders_on_members(oracle: Oracle) -> None:
    """A zip's members are extracted and loaded like a user would: the payload inside fires."""
    marker = str(oracle.scratch / "m" / "zip-test")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/model.pkl", b"cos\nsystem\n(S'touch " + marker.encode() + b"'\ntR.")
    path = oracle.scratch / "in" / "bundle.zip"
    path.write_bytes(buf.getvalue())
    out = oracle.run(path, marker)
    assert "zipfile.extractall" in out.fired  # and pandas.read_pickle, which unzips by name
    assert "pickle.load" not in out.fired and "torch.load" not in out.fired


def test_fixed_seed_slice_has_no_hole(oracle: Oracle) -> None:
    summary = run(oracle, seeded(SLICE_SEED, SLICE_COUNT, oracle.scratch), stop_first=True)
    assert summary.files == SLICE_COUNT
    assert summary.fired > SLICE_COUNT // 3, "the generator stopped producing executable files"
    assert not summary.holes, _holes(summary)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), benign=st.booleans())
def test_generated_files_a_loader_executes_are_denied(
    oracle: Oracle, data: st.DataObject, benign: bool
) -> None:
    ch = HypothesisChooser(data)
    oracle_key = f"hyp:{abs(hash(repr(data))) % 10**9}"
    s = from_chooser(ch, oracle.scratch, 0, benign)
    summary = Summary()
    judge(oracle, oracle_key, s, summary, stop_first=True)
    assert not summary.holes, _holes(summary)


def test_scratch_is_clean_after_a_run(oracle: Oracle) -> None:
    """Each file is removed after judging and markers are cleared (no cross-talk)."""
    summary = run(oracle, seeded(SLICE_SEED + 1, 20, oracle.scratch))
    assert summary.files == 20
    assert list((oracle.scratch / "m").iterdir()) == []
    assert [p for p in (oracle.scratch / "in").iterdir() if p.is_dir()] == []
