"""Raw pickle streams (protocols 0-5; cloudpickle and dill streams are plain pickles, joblib and
PyTorch ``data.pkl`` too). The analysis itself is ``airlock.scan.pickle_vm``."""

from __future__ import annotations

from airlock.formats import joblib
from airlock.formats.pickle_sniff import looks_like_pickle
from airlock.report import Finding
from airlock.scan.handlers.common import analyze, error_finding
from airlock.scan.interface import Child, ScanContext, ScanOutcome, Source

MAX_LISTED_GLOBALS = 100  # names in the pickle handler's 'imports:' note


class PickleHandler:
    """Raw pickle streams."""

    name = "pickle"

    def sniff(self, src: Source) -> bool:
        return looks_like_pickle(src.view())

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        # The analyser bounds opcode bytes itself (limits.max_pickle_bytes) and skips the raw
        # storage/array bytes that follow legacy torch and joblib pickles, so a 1 GiB file whose
        # pickles are small is read completely; only a limit actually hit means "not scanned".
        data = src.view()
        is_joblib = joblib.is_joblib_pickle(data)
        analysis = analyze(data, ctx, joblib_mode=is_joblib)
        findings = list(analysis.findings)
        notes: list[str] = []
        if analysis.sparse_proven:
            notes.append(f"{analysis.sparse_proven} sparse tensor(s): indices proven in range")
        not_scanned = None
        if any(f.rule_id == "AIR-PKL-011" for f in findings):
            not_scanned = "pickle analysis stopped at a limit: only the start analysed"
        if ctx.read_as.torchscript:
            findings = [f for f in findings if not _torchscript_type(f)]
        findings += error_finding(analysis, ctx)
        children = [Child.of(name, blob) for name, blob in analysis.nested]
        notes.insert(0, f"{analysis.pickles} pickle stream(s), {len(analysis.callables)} callables")
        if analysis.callables:  # what loading it imports (scan -v, JSON notes)
            more = len(analysis.callables) - MAX_LISTED_GLOBALS
            names = [n[:200] for n in analysis.callables[:MAX_LISTED_GLOBALS]]
            notes.append("imports: " + ", ".join(names)
                         + (f" (+{more} more left out)" if more > 0 else ""))  # fmt: skip
        return ScanOutcome(
            format="joblib" if is_joblib else "pickle",
            findings=findings,
            children=children,
            not_scanned=not_scanned,
            notes=notes,
        )


def _torchscript_type(f: Finding) -> bool:
    """TorchScript's own class references (``__torch__.*``) resolve to code in the archive, which
    is checked separately; they are not Python imports."""
    name = str(f.extra.get("callable") or f.extra.get("subject") or f.evidence or "")
    return name.startswith("__torch__.") or name.startswith("torch.jit._pickle.")
