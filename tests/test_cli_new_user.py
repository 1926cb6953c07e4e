"""What a new user ran into on real inputs (session 12 walk-through): an unset variable as the
model name, file names that are not UTF-8 or carry control characters or brackets, an unusable
digest cache folder, a server port already taken, a verdict checked with the wrong key."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import run_cli

ZEROS = "0" * 64


def _run_bytes(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real entry point, output as bytes (names that are not UTF-8 stay bytes)."""
    return subprocess.run(
        [sys.executable, "-m", "airlock", *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("hash", ""),
        ("scan", ""),
        ("check", ""),
        ("verify", "", "--digest", ZEROS),
        ("sign", "", "--key", "missing.key"),
        ("verify-attestation", "a.json", "--key", "missing.pub", "--model", ""),
    ],
)
def test_an_empty_model_name_is_a_usage_error(args: tuple[str, ...], tmp_path: Path) -> None:
    # `airlock check "$MODEL"` with MODEL unset judged (and allowed) the working directory
    (tmp_path / "notes.txt").write_text("not the model")
    r = run_cli(*args, cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "empty" in r.stderr and "internal error" not in r.stderr, r.stderr
    assert "ALLOW" not in r.stdout


def _odd_names(root: Path) -> Path:
    model = root / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    with open(os.path.join(os.fsencode(model), b"w\xffx.txt"), "wb") as fh:
        fh.write(b"x")
    return model


def test_sha256sums_of_a_name_that_is_not_utf8_round_trip(tmp_path: Path) -> None:
    model = _odd_names(tmp_path)
    sums = tmp_path / "model.sha256"
    made = _run_bytes("hash", str(model), "--format", "sha256sum", "-o", str(sums))
    assert made.returncode == 0, made.stderr
    assert b"w\xffx.txt" in sums.read_bytes()  # the name's own bytes, as sha256sum writes them
    for command in ("verify", "check"):
        r = _run_bytes(command, str(model), "--sha256sums", str(sums))
        assert r.returncode == 0, (command, r.stdout, r.stderr)


def test_strict_utf8_stdout_does_not_kill_reports(tmp_path: Path) -> None:
    # under a UTF-8 locale (not C) Python's stdout refuses lone surrogates
    model = _odd_names(tmp_path)
    env = {"PYTHONIOENCODING": "utf-8:strict"}
    text = _run_bytes("hash", str(model), env=env)
    assert text.returncode == 0, text.stderr
    assert b"w\\xffx.txt" in text.stdout  # shown escaped to a human
    sums = _run_bytes("hash", str(model), "--format", "sha256sum", env=env)
    assert sums.returncode == 0 and b"w\xffx.txt" in sums.stdout, sums.stderr
    verify = _run_bytes("verify", str(model), "--digest", ZEROS, env=env)
    assert verify.returncode == 1 and b"internal error" not in verify.stderr, verify.stderr


def test_control_characters_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "a\rOK \x1b[32mfine").write_text("x")
    for args in (("hash", str(model)), ("verify", str(model), "--digest", ZEROS),
                 ("check", str(model), "--digest", ZEROS)):  # fmt: skip
        r = _run_bytes(*args)
        assert r.returncode in (0, 1), (args, r.stderr)
        assert b"\x1b" not in r.stdout and b"\r" not in r.stdout, (args, r.stdout)
        assert b"a\\x0dOK \\x1b[32mfine" in r.stdout or args[0] == "check", (args, r.stdout)


def test_brackets_in_names_are_not_markup(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "[red]y").write_text("x")
    r = run_cli("verify", str(model), "--digest", ZEROS)
    assert r.returncode == 1 and "[red]y" in r.stdout, r.stdout


def test_registry_text_in_a_check_summary_does_not_crash_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.console import Console

    from airlock.cli import _common, check

    buf = io.StringIO()
    rich = Console(file=buf, force_terminal=True, highlight=False, soft_wrap=True)
    monkeypatch.setattr(_common, "console", lambda stderr=False: rich)  # as on a terminal
    step = SimpleNamespace(ok=False, name="registry", findings=[], data={},
                           summary="advisory AIR-1 (low): see [/link] and [red]x")  # fmt: skip
    result = SimpleNamespace(allowed=False, path="m[/b]", root_digest=ZEROS, steps=[step])
    check.render(result)  # type: ignore[arg-type]
    out = buf.getvalue()
    assert "see [/link] and [red]x" in out and "m[/b]" in out, out


def test_an_unusable_digest_cache_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = run_cli("hash", str(tmp_path / "model.bin"), "--cache",
                env={"AIRLOCK_CACHE_DIR": str(blocker / "sub")})  # fmt: skip
    assert r.returncode == 2, r.stderr
    assert "cannot open digest cache" in r.stderr and "internal error" not in r.stderr


def test_a_taken_port_fails_before_the_server_announces_itself() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        r = run_cli("guard", "serve", "--upstream", "http://127.0.0.1:9", "--port", str(port),
                    "--onnx-classifier", "none", timeout=60)  # fmt: skip
    assert r.returncode == 2, r.stderr
    assert "cannot listen on" in r.stderr and "listening on" not in r.stderr, r.stderr


def test_require_listen_refuses_ports_out_of_range() -> None:
    from airlock.cli import _common

    for port in (-1, 65536, 99999):  # getaddrinfo wraps 99999 round to another port
        with pytest.raises(SystemExit) as exc:
            _common.guarded(lambda p=port: _common.require_listen("127.0.0.1", p))  # type: ignore[misc]
        assert exc.value.code == 2


def test_a_verdict_checked_with_the_wrong_key_says_nothing_it_did_not_verify(
    tmp_path: Path,
) -> None:
    env = {"AIRLOCK_KEY_PASSPHRASE": "pw"}
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    for name in ("a", "b"):
        assert run_cli("keygen", "--out", str(tmp_path / name), env=env).returncode == 0
    att = tmp_path / "check.intoto.json"
    made = run_cli("check", str(model), "--attest", str(tmp_path / "a" / "airlock.key"),
                   "-o", str(att), env=env)  # fmt: skip
    assert made.returncode == 0, made.stderr
    r = run_cli("verify-attestation", str(att), "--key", str(tmp_path / "b" / "airlock.pub"))
    assert r.returncode == 1 and "key mismatch" in r.stdout, r.stdout
    assert "None" not in r.stdout and "not verified" in r.stdout, r.stdout


def test_not_scanned_summary_says_no_findings_once(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    r = run_cli("scan", str(tmp_path))
    assert r.returncode == 1, r.stderr
    assert r.stdout.count("no findings") == 1 and "not scanned" in r.stdout, r.stdout


def test_fleet_submit_says_which_files_no_repository_holds(tmp_path: Path) -> None:
    # a model folder submitted as a store (default --repo-depth 1): its top-level files were
    # silently left out, the job "finished" with 0 files
    pytest.importorskip("celery")
    from airlock.fleet.submit import loose_files

    store = tmp_path / "store"
    (store / "repo").mkdir(parents=True)
    (store / "model.pkl").write_bytes(b"\x80\x04N.")
    (store / ".hidden").write_text("")
    (store / "repo" / "config.json").write_text("{}")
    assert loose_files(store, 1) == ["model.pkl"]
    assert loose_files(store, 0) == [] and loose_files(store / "model.pkl", 1) == []
    db = f"sqlite:///{tmp_path / 'fleet.db'}"
    assert run_cli("registry", "init", "--database", db).returncode == 0
    r = run_cli("fleet", "submit", str(store / "repo" / ".."), "--repo-depth", "2",
                "--broker", "memory://", "--database", db, "--format", "json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "model.pkl" in r.stderr and "not judged" in r.stderr, r.stderr
    assert "--repo-depth 2" in r.stdout  # the JSON "notes"


@pytest.mark.parametrize(
    "args",
    [
        ("sign", "hf://org/name", "--key", "missing.key"),
        ("verify-attestation", "a.json", "--key", "missing.pub", "--model", "s3://b/p"),
    ],
)
def test_local_only_commands_say_so_for_remote_names(args: tuple[str, ...]) -> None:
    r = run_cli(*args)
    assert r.returncode == 2 and "not a local path" in r.stderr, r.stderr
    assert "hf:/org" not in r.stderr  # Path() had collapsed the name into a missing folder


def test_orphan_signature_options_are_named_in_good_english(tmp_path: Path) -> None:
    r = run_cli("check", str(tmp_path), "--key", "k.pub")
    assert r.returncode == 2 and "--key only applies with --signature" in r.stderr, r.stderr


def test_explain_agrees_with_the_scanner_on_python2_names(tmp_path: Path) -> None:
    # a protocol 0 pickle naming __builtin__.eval: the scanner said critical, explain "unknown"
    (tmp_path / "a.pkl").write_bytes(b'c__builtin__\neval\n(S"1+1"\ntR.')  # never loaded
    scan = run_cli("scan", str(tmp_path), "--format", "json")
    assert scan.returncode == 1 and '"AIR-PKL-001"' in scan.stdout, scan.stdout
    r = run_cli("explain", "__builtin__.eval", "--format", "json")
    import json

    info = json.loads(r.stdout)
    assert info["status"] == "danger" and info["severity"] == "critical", info
    assert info["subject"] == "__builtin__.eval" and info["read_as"] == "builtins.eval"
    assert run_cli("explain", "os.system", "--format", "json").stdout.count("read_as") == 0
