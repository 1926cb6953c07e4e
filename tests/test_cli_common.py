"""The CLI's last line of defence: errors become one line and an exit code, never a traceback."""

from __future__ import annotations

import pytest
import typer

from airlock.cli._common import guarded, missing_dependency
from airlock.errors import InputError


def _raise(exc: BaseException):  # type: ignore[no-untyped-def]
    def fn() -> None:
        raise exc

    return fn


@pytest.mark.parametrize(
    ("exc", "code", "needle"),
    [
        (InputError("m.bin: no such file"), 2, "m.bin: no such file"),
        (ModuleNotFoundError("x", name="alembic"), 2, "model-airlock[registry]"),
        (ModuleNotFoundError("x", name="torch"), 2, "torch==2.13.0"),
        (RuntimeError("boom"), 2, "internal error: RuntimeError: boom"),
    ],
)
def test_errors_map_to_one_line(exc: BaseException, code: int, needle: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        guarded(_raise(exc))
    assert info.value.code == code
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_commands_own_exit_goes_through() -> None:
    with pytest.raises(typer.Exit) as info:
        guarded(_raise(typer.Exit(1)))
    assert info.value.exit_code == 1


def test_missing_dependency_generic() -> None:
    assert "'left_pad'" in missing_dependency("left_pad.sub")


def test_missing_dependency_names_the_extras() -> None:
    assert missing_dependency("celery.app").endswith("pip install 'model-airlock[fleet]'")
    many = missing_dependency("httpx")
    assert "registry, guard, admission, remote" in many and "[all]" in many


def test_missing_dependency_names_the_running_commands_extra() -> None:
    """`airlock admission serve` without httptools names [admission], not a list to pick from;
    `airlock fleet submit` without sqlalchemy names [fleet] (which brings [registry])."""
    assert missing_dependency("httptools", "admission").endswith("'model-airlock[admission]'")
    assert missing_dependency("sqlalchemy.orm", "fleet").endswith("'model-airlock[fleet]'")
    assert missing_dependency("sqlalchemy", "registry").endswith("'model-airlock[registry]'")
    assert "[all]" in missing_dependency("httptools", "check")  # not one of its extras: all named


def test_extras_named_exist() -> None:
    """Every extra a message names is one pyproject.toml defines."""
    import tomllib
    from pathlib import Path

    from airlock.cli._run import _EXTRAS

    defined = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert {e for extras in _EXTRAS.values() for e in extras} <= set(defined)
