"""MATLAB MAT-files, levels 4 and 5 (``scipy.io.loadmat``; level 7.3 is HDF5), read by
``airlock.formats.matfile``. ``loadmat`` decodes arrays, cells and structs into numpy objects and
never runs anything; MATLAB objects (``mxOBJECT_CLASS``), function handles
(``mxFUNCTION_CLASS``) and classdef objects (``mxOPAQUE_CLASS``) come back as opaque records to
scipy, but MATLAB itself would construct the class or bind the function on ``load``: reported
so nobody opens the file in MATLAB unawares."""

from __future__ import annotations

from airlock.formats import matfile
from airlock.formats.source import FormatProblem
from airlock.report import Severity
from airlock.scan.format_rules import Rule, short
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable

MAT_REF = "https://www.mathworks.com/help/pdf_doc/matlab/matfile_format.pdf"
UNPARSEABLE = Rule(
    "AIR-MAT-000",
    Severity.HIGH,
    "MAT-file cannot be parsed",
    "A file with a MAT-file header whose data elements do not hold together cannot be judged.",
    MAT_REF,
    blocks=True,
)
MATLAB_OBJECT = Rule(
    "AIR-MAT-001",
    Severity.LOW,
    "MAT-file holds a MATLAB object or function handle",
    "scipy.io.loadmat returns these as opaque records and runs nothing, but MATLAB's load"
    " constructs the named class (its loadobj method) or binds the function handle.",
    MAT_REF,
)
_CLASSES = {"object": Severity.LOW, "function": Severity.LOW, "opaque": Severity.INFO}
MAX_FINDINGS = 50


class MatHandler:
    """``MATLAB 5.0 MAT-file`` headers, and level 4 files (no magic: the first record's header
    must hold)."""

    name = "matlab"

    def sniff(self, src: Source) -> bool:
        return matfile.looks_like_v5(src.head) or matfile.looks_like_v4(src.read_at, src.size)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        v5 = matfile.looks_like_v5(src.head)
        try:
            mat = matfile.read_v5(src.view()) if v5 else matfile.read_v4(src.view())
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, str(exc)[:300]) from None
        out = ScanOutcome(format=f"matlab-v{mat.level}")
        for var in mat.variables:
            sev = _CLASSES.get(var.cls)
            if sev is not None and len(out.findings) < MAX_FINDINGS:
                ev = f"variable {short(var.name, 80)} of class {var.cls} at offset {var.offset}"
                out.findings.append(
                    MATLAB_OBJECT.finding(ctx.location, ev, member=ctx.member, severity=sev)
                )
        classes = sorted({v.cls for v in mat.variables})
        out.notes.append(
            f"MAT-file level {mat.level}: {len(mat.variables)} variables"
            f" ({', '.join(classes[:20])})"
        )
        return out
