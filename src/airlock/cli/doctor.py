"""``airlock doctor``: which features work here, and the install command for the rest."""

from __future__ import annotations

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat


def register(app: typer.Typer) -> None:
    @app.command("doctor")
    def doctor_cmd(fmt: OutputFormat = _common.FORMAT_OPTION) -> None:
        """Probe this machine: sandbox backends, optional features, cache, registry.

        Exit 0 if everything works, 1 if something is unavailable, 2 on error.
        """

        def go() -> int:
            from airlock.doctor import diagnose

            d = diagnose()
            if fmt is OutputFormat.json:
                _common.print_json(d.to_json())
            else:
                out = _common.console()
                env = d.environment
                out.print(f"airlock {env['airlock']} on Python {env['python']}, "
                          f"{env['platform']}, {env['cpus']} CPUs", markup=False)  # fmt: skip
                for c in d.checks:
                    mark = "ok     " if c.ok else "MISSING"
                    out.print(f"{mark}  {c.name}: {c.detail}", markup=False)
                    if c.fix:
                        out.print(f"         fix: {c.fix}", markup=False)
            return EXIT_OK if not d.problems else EXIT_FINDINGS

        raise typer.Exit(_common.guarded(go))
