"""stable-baselines3 ``model.save`` zips: ``load()`` runs ``cloudpickle.loads`` on the base64 of
every top-level ``data`` item with a ``":serialized:"`` key (``save_util.json_to_data``). Each
such field is scanned as a pickle: honest schedules, spaces and the policy class are clean, a
cloudpickled function (or anything that runs code) is denied, worded as the field SB3 will load.
The zips are built here by hand (no SB3 needed) and never loaded."""

from __future__ import annotations

import base64
import io
import json
import struct
import zipfile
from pathlib import Path

from airlock.report import Severity
from airlock.scan.engine import scan_paths

from .builders import (
    BUILD,
    EMPTY_DICT,
    EMPTY_TUPLE,
    PROTO2,
    SETITEM,
    STOP,
    call,
    glob,
    s,
    touch_cmd,
)

NEWOBJ = b"\x81"
BINFLOAT = b"G"


def _schedule(val: float = 0.2) -> bytes:
    """FloatSchedule(ConstantSchedule(val)) as SB3 2.x pickles it (NEWOBJ + BUILD, nested)."""
    inner = (glob("stable_baselines3.common.utils", "ConstantSchedule") + EMPTY_TUPLE + NEWOBJ
             + EMPTY_DICT + s("val") + BINFLOAT + struct.pack(">d", val)
             + SETITEM + BUILD)  # fmt: skip
    head = PROTO2 + glob("stable_baselines3.common.utils", "FloatSchedule") + EMPTY_TUPLE
    return head + NEWOBJ + EMPTY_DICT + s("value_schedule") + inner + SETITEM + BUILD + STOP


def _policy_class() -> bytes:
    return PROTO2 + glob("stable_baselines3.common.policies", "ActorCriticPolicy") + STOP


def _evil(marker: Path) -> bytes:
    return PROTO2 + call(glob("os", "system"), s(touch_cmd(marker))) + STOP


def _field(data: bytes, typ: str = "<class 'function'>") -> dict[str, str]:
    return {":type:": typ, ":serialized:": base64.b64encode(data).decode()}


def _zip(path: Path, data: dict[str, object], markers: bool = True) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("data", json.dumps(data))
        if markers:
            z.writestr("_stable_baselines3_version", "2.9.2")
            z.writestr("system_info.txt", "- OS: Linux")
    return path


def _honest() -> dict[str, object]:
    return {
        "policy_class": _field(_policy_class(), "<class 'abc.ABCMeta'>"),
        "policy_kwargs": {},
        "n_steps": 16,
        "gamma": 0.99,
        "lr_schedule": _field(_schedule()),
        "clip_range": _field(_schedule(0.2)),
    }


def _severe(path: Path) -> list[object]:
    return [f for f in scan_paths([path]).findings if f.severity >= Severity.HIGH]


def test_honest_sb3_zip_is_clean(tmp_path: Path) -> None:
    report = scan_paths([_zip(tmp_path / "ppo.zip", _honest())])
    assert [f for f in report.findings if f.severity >= Severity.HIGH] == []
    assert any("data[lr_schedule]" in (o.member or "") for o in report.objects)


def test_serialized_code_is_denied_and_worded(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    data = _honest()
    data["learning_rate"] = _field(_evil(marker))
    found = _severe(_zip(tmp_path / "evil.zip", data))
    assert found and all("SB3 will cloudpickle.loads this field" in str(f.member) for f in found)
    assert any(f.severity == Severity.CRITICAL for f in found)  # type: ignore[attr-defined]
    assert not marker.exists()


def test_serialized_code_denied_without_marker_members(tmp_path: Path) -> None:
    # SB3's load() needs only the data member
    data = {"learning_rate": _field(_evil(tmp_path / "m"))}
    assert _severe(_zip(tmp_path / "bare.zip", data, markers=False))


def test_nested_and_sloppy_base64_still_scanned(tmp_path: Path) -> None:
    enc = base64.b64encode(_evil(tmp_path / "m")).decode()
    sloppy = "\n".join(enc[i : i + 10] for i in range(0, len(enc), 10))  # b64decode drops \n
    data = {"a": {":serialized:": sloppy}, "b": {"inner": {":serialized:": enc}}}
    found = _severe(_zip(tmp_path / "n.zip", data))
    members = {str(f.member) for f in found}  # type: ignore[attr-defined]
    assert any("data[a]" in m for m in members) and any("data[b.inner]" in m for m in members)


def test_cloudpickled_function_schedule_is_denied(tmp_path: Path) -> None:
    fn = (PROTO2 + glob("cloudpickle.cloudpickle", "_make_function") + EMPTY_TUPLE
          + b"R" + STOP)  # fmt: skip
    data = _honest()
    data["learning_rate"] = _field(fn)
    assert _severe(_zip(tmp_path / "lam.zip", data))


def test_non_json_data_member_is_left_alone(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data", b"\x00\x01binary")
    (tmp_path / "x.zip").write_bytes(buf.getvalue())
    assert _severe(tmp_path / "x.zip") == []


def test_sb3_contrib_class_references_clean(tmp_path: Path) -> None:
    data = _honest()
    data["policy_class"] = _field(
        PROTO2 + glob("sb3_contrib.qrdqn.policies", "QRDQNPolicy") + STOP, "<class 'abc.ABCMeta'>"
    )
    data["rollout_buffer_class"] = _field(
        PROTO2 + glob("sb3_contrib.common.maskable.buffers", "MaskableRolloutBuffer") + STOP
    )
    assert _severe(_zip(tmp_path / "contrib.zip", data)) == []
    data["policy_class"] = _field(
        PROTO2 + call(glob("sb3_contrib.qrdqn.policies", "QRDQNPolicy"), s("x")) + STOP
    )
    assert _severe(_zip(tmp_path / "called.zip", data))


def test_data_member_judged_whichever_handler_reads_the_zip(tmp_path: Path) -> None:
    """A torch.save zip or a .keras archive with a data member: SB3's load() still reads it."""
    import pytest

    torch = pytest.importorskip("torch")
    data = {"learning_rate": _field(_evil(tmp_path / "m"))}
    torch.save({"w": torch.zeros(2)}, tmp_path / "sd.pt")
    with zipfile.ZipFile(tmp_path / "sd.pt") as src, zipfile.ZipFile(tmp_path / "t.zip", "w") as z:
        for n in src.namelist():
            z.writestr(n, src.read(n))
        z.writestr("data", json.dumps(data))
    with zipfile.ZipFile(tmp_path / "m.keras", "w") as z:
        z.writestr("config.json", json.dumps({"class_name": "Sequential", "config": {}}))
        z.writestr("metadata.json", json.dumps({"keras_version": "3.10.0"}))
        z.writestr("model.weights.h5", b"")
        z.writestr("data", json.dumps(data))
    for name in ("t.zip", "m.keras"):
        found = _severe(tmp_path / name)
        assert any("SB3 will cloudpickle.loads" in str(f.member) for f in found), name  # type: ignore[attr-defined]
