"""``airlock trojan``, ``airlock data scan`` and ``airlock leak-test``: thin shells over
``airlock.trojan`` and ``airlock.data``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat

if TYPE_CHECKING:
    from airlock.report import Finding

FAIL_ON_OPTION = _common.fail_on_option("medium", "Exit 1 when a finding reaches this severity.")


def _exit_code(findings: list[Finding], fail_on: str) -> int:
    from airlock.errors import UsageError
    from airlock.report import Severity

    try:
        level = Severity.parse(fail_on)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_FINDINGS if any(f.severity >= level for f in findings) else EXIT_OK


def _print_findings(findings: list[Finding]) -> None:
    out = _common.console()
    for f in sorted(findings, key=lambda f: -int(f.severity)):
        where = f" [{f.member}]" if f.member else ""
        out.print(f"{str(f.severity).upper():8} {f.rule_id}  {f.title}{where}", markup=False)
        if f.evidence:
            out.print(f"         {f.evidence}", markup=False)


UNSANDBOXED_OPTION = typer.Option(
    False,
    "--allow-unsandboxed",
    help="Load models without a sandbox when none works here (with a warning).",
)


def _sandbox(unsandboxed: bool) -> str:
    return "fallback" if unsandboxed else "on"


def _has_torch() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False


def _trojan(
    model: Path,
    base: Path,
    no_probe: bool,
    top_k: int,
    unsandboxed: bool,
    danger_file: Path | None = None,
) -> Any:
    from airlock.errors import DependencyError
    from airlock.trojan.analyse import analyse_trojan
    from airlock.trojan.danger import DEFAULT_CLASSES, load_classes
    from airlock.trojan.report import TrojanOptions

    if not no_probe and not _has_torch():
        # without the probe, drift candidates stay unconfirmed: not a judgement to exit 0 on
        raise DependencyError(
            "the behavioural probe needs PyTorch: pip install 'model-airlock[trojan]' "
            "(CPU torch==2.13.0); or --no-probe to compare weights only"
        )
    classes = load_classes(danger_file) if danger_file is not None else DEFAULT_CLASSES
    opts = TrojanOptions(top_k=top_k, behavioural=False if no_probe else None,
                         sandbox=_sandbox(unsandboxed), danger_classes=classes)  # fmt: skip
    return analyse_trojan(model, base, opts)


def register(app: typer.Typer) -> None:
    @app.command("trojan")
    def trojan_cmd(
        model: Path = typer.Argument(..., help="Model folder (HF layout) or .safetensors file."),
        base: Path = typer.Option(..., "--base", help="The base model it claims to fine-tune."),
        no_probe: bool = typer.Option(
            False, "--no-probe", help="Weights only: skip behavioural confirmation (no torch)."
        ),
        top_k: int = typer.Option(10, "--top-k", min=1, max=1000, help="Trigger candidates."),
        danger: Path | None = typer.Option(
            None,
            "--danger-classes",
            help='Extra dangerous LM output classes: JSON [{"name", "pattern", "seeds"}].',
        ),
        allow_unsandboxed: bool = UNSANDBOXED_OPTION,
        fail_on: _common.FailOn = FAIL_ON_OPTION,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Look for a backdoor: base match, token drift, weight deltas, behavioural probes."""
        rep = _common.guarded(
            lambda: _trojan(model, base, no_probe, top_k, allow_unsandboxed, danger)
        )
        code = _common.guarded(lambda: _exit_code(rep.findings, fail_on))
        if fmt == OutputFormat.json:
            _common.print_json(rep.to_json())
        else:
            _print_findings(rep.findings)
            out = _common.console()
            if rep.drift:
                cands = ", ".join(
                    f"{c['token']!r} (z={c['z']})" for c in rep.drift["candidates"][:5]
                )
                out.print(f"top token drift: {cands}", markup=False)
            out.print(f"verdict: {rep.verdict}", markup=False)
        raise typer.Exit(code)

    data_app = typer.Typer(help="Fine-tuning data checks.", no_args_is_help=True)

    @data_app.command("scan")
    def data_scan_cmd(
        data: Path = typer.Argument(..., help="JSONL file, one example per line."),
        text_field: str = typer.Option(..., "--text-field", help="Field holding the text."),
        label_field: str = typer.Option("", "--label-field", help="Field holding the label."),
        reference: Path | None = typer.Option(
            None, "--reference", help="Classifier (e.g. the base) to judge labels (torch)."
        ),
        embed: bool = typer.Option(
            False, "--embed", help="Spectral signatures on all-MiniLM-L6-v2 embeddings (torch)."
        ),
        encoder: Path | None = typer.Option(None, "--encoder", help="Other sentence encoder."),
        near_threshold: float = typer.Option(
            0.8,
            "--near-threshold",
            min=0.3,
            max=1.0,
            help="Jaccard at which rows count as near-duplicates (1.0: exact copies only).",
        ),
        allow_unsandboxed: bool = UNSANDBOXED_OPTION,
        fail_on: _common.FailOn = FAIL_ON_OPTION,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Poisoning signals: trigger n-grams, label disagreement, outliers, duplicates, Unicode."""

        def run() -> Any:
            from airlock.data.jsonl import read_jsonl
            from airlock.data.near_dup import NearDupOptions
            from airlock.data.poison import PoisonOptions, scan_dataset

            ds = read_jsonl(data, text_field, label_field or None)
            texts = [r.text for r in ds.rows]
            probs = names = emb = None
            score = None
            if reference is not None and texts:
                from airlock.data.models import reference_probs

                ref, sandbox = reference, _sandbox(allow_unsandboxed)
                probs, names = reference_probs(ref, texts, sandbox)

                def score(more: list[str]) -> Any:  # the removal test's texts, same sandbox rules
                    return reference_probs(ref, more, sandbox)[0]

            if (embed or encoder is not None) and texts:
                from airlock.data.models import sentence_embeddings

                emb = sentence_embeddings(texts, encoder, _sandbox(allow_unsandboxed))
            opts = PoisonOptions(near=NearDupOptions(threshold=near_threshold))
            return scan_dataset(
                ds, opts, reference_probs=probs, reference_labels=names, embeddings=emb,
                reference=score,
            )  # fmt: skip

        rep = _common.guarded(run)
        code = _common.guarded(lambda: _exit_code(rep.findings, fail_on))
        if fmt == OutputFormat.json:
            _common.print_json(rep.to_json())
        else:
            _print_findings(rep.findings)
            out = _common.console()
            out.print(
                f"{rep.rows} rows, {len(rep.flagged)} flagged; methods: {', '.join(rep.methods)}",
                markup=False,
            )
            for line, reasons in sorted(rep.flagged.items())[:20]:
                out.print(f"  line {line + 1}: {'; '.join(reasons)}", markup=False)
            if len(rep.flagged) > 20:
                out.print(f"  ... {len(rep.flagged) - 20} more flagged rows left out "
                          "(--format json lists them)", markup=False)  # fmt: skip
        raise typer.Exit(code)

    app.add_typer(data_app, name="data")

    @app.command("leak-test")
    def leak_cmd(
        model: Path = typer.Argument(..., help="Causal LM folder (GPT-2 or Llama layout)."),
        canaries: Path = typer.Option(..., "--canaries", help="One canary per line."),
        reference: Path | None = typer.Option(
            None, "--reference", help="Reference LM (e.g. the base) for the perplexity ratio."
        ),
        candidates: int = typer.Option(1000, "--candidates", min=10, max=1_000_000),
        allow_unsandboxed: bool = UNSANDBOXED_OPTION,
        fail_on: _common.FailOn = FAIL_ON_OPTION,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """Canary exposure (bits) and perplexity-ratio memorisation probe."""

        def run() -> Any:
            from airlock.data.leak import LeakOptions, leak_test, read_canaries

            opts = LeakOptions(candidates=candidates, sandbox=_sandbox(allow_unsandboxed))
            return leak_test(model, read_canaries(canaries), reference, opts)

        rep = _common.guarded(run)
        code = _common.guarded(lambda: _exit_code(rep.findings, fail_on))
        if fmt == OutputFormat.json:
            _common.print_json(rep.to_json())
        else:
            out = _common.console()
            for c in rep.canaries:
                ratio = "n/a" if c.ppl_ratio is None else f"{c.ppl_ratio:.3g}"
                out.print(
                    f"{c.exposure_bits:5.1f} / {c.max_bits:.1f} bits  rank {c.rank:>6}  "
                    f"ppl ratio {ratio:>8}  {c.canary}",
                    markup=False,
                )
            _print_findings(rep.findings)
            out.print(rep.meaning, markup=False)
        raise typer.Exit(code)
