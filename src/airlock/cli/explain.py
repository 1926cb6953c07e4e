"""``airlock explain NAME|RULE``: why a pickle global is allowed, denied or unknown, and where."""

from __future__ import annotations

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_OK, OutputFormat


def register(app: typer.Typer) -> None:
    @app.command("explain")
    def explain_cmd(
        subject: str = typer.Argument(
            ..., metavar="NAME|RULE", help="A pickle global (torch.nn.Linear) or a rule id."
        ),
        policy: str | None = _common.POLICY_OPTION,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Say why a pickle global is allowed, denied or unknown (and where that was decided:
        allowlist group, danger category, policy file), or what a rule id means."""

        def go() -> int:
            from airlock.errors import UsageError
            from airlock.explain import explain
            from airlock.policyfile import load_policy

            if not subject.strip() or len(subject) > 512:
                raise UsageError("give a dotted global name or a rule id")
            info = explain(subject, load_policy(policy))
            if fmt is OutputFormat.json:
                _common.print_json(info)
                return EXIT_OK
            out = _common.console()
            out.print(f"{info['subject']}: {info['status']}", markup=False)
            for key in (
                "note",
                "title",
                "severity",
                "why",
                "category",
                "matched",
                "shape",
                "blocks",
                "seen_in",
                "decided_in",
                "defined_in",
                "reference",
                "policy",
            ):
                if info.get(key) not in (None, "", {}):
                    out.print(f"  {key}: {info[key]}", markup=False)
            return EXIT_OK

        raise typer.Exit(_common.guarded(go))
