"""Generate, load in the sandbox, judge: one campaign of the differential test.

For every generated file the oracle reports which victim loaders ran the payload; each such
file must be denied by ``airlock.check``. An allowed one is a *hole*. A benign file (no payload)
that some loader loads without error and that the gate denies is a *false positive*, kept apart.
"""

from __future__ import annotations

import base64
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airlock.gate import CheckResult, check
from tests.differential.choice import Chooser, SeededChooser
from tests.differential.generate import Sample, sample
from tests.differential.oracle import Oracle, Outcome


@dataclass
class Case:
    """One judged file."""

    key: str  # "seed:index" rebuilds it (see :func:`rebuild`)
    sample: Sample
    outcome: Outcome
    allowed: bool
    reasons: list[str]
    signature: str = ""  # what the scan saw: top format, rules at their severity, not-scanned

    @property
    def cls(self) -> str:
        """The class a finding is filed under: shape plus what the scanner made of it."""
        return f"{self.sample.shape} | {self.signature}"


@dataclass
class Summary:
    files: int = 0
    with_payload: int = 0
    fired: int = 0  # files whose payload some loader ran
    crashed: int = 0
    holes: list[Case] = field(default_factory=list)
    false_positives: list[Case] = field(default_factory=list)
    benign_loaded: int = 0
    by_loader: Counter[str] = field(default_factory=Counter)
    by_shape: Counter[str] = field(default_factory=Counter)  # fired files per shape
    seconds: float = 0.0


def marker_for(scratch: Path, n: int) -> str:
    return str(scratch.resolve() / "m" / f"m{n}")


def rebuild(key: str, scratch: Path, benign_rate: float = 0.2) -> Sample:
    """The sample a campaign generated under ``key`` (``"seed:index"``)."""
    ch = SeededChooser(key)
    n = int(key.rsplit(":", 1)[1])
    return sample(ch, None if ch.chance(benign_rate) else marker_for(scratch, n))


def seeded(seed: int, count: int, scratch: Path, start: int = 0,
           benign_rate: float = 0.2) -> Iterator[tuple[str, Sample]]:  # fmt: skip
    for n in range(start, start + count):
        key = f"{seed}:{n}"
        yield key, rebuild(key, scratch, benign_rate)


def from_chooser(ch: Chooser, scratch: Path, n: int, benign: bool) -> Sample:
    return sample(ch, None if benign else marker_for(scratch, n))


def _reasons(r: CheckResult) -> list[str]:
    out = [f"{s.name}: {s.summary}" for s in r.steps if not s.ok]
    if not out:
        out = [f"{s.name}: {s.summary}" for s in r.steps]
    return [" ".join(x.split())[:300] for x in out]


COMPRESSED = {"gzip", "bz2", "xz", "lzma", "zlib"}


def signature(r: CheckResult) -> str:
    """Coarse on purpose: the outer format (compressions folded), the highest severity found
    and whether anything was not scanned, so that one root cause gives one class."""
    scan = next((st.data for st in r.steps if st.name == "scan"), {})
    objs = scan.get("objects", [])
    fmt = objs[0].get("format") if objs else "-"
    fmt = "compressed" if fmt in COMPRESSED else fmt
    sevs = [f.severity for st in r.steps for f in st.findings]
    top = f"max {max(sevs).name.lower()}" if sevs else "no finding"
    unread = scan.get("summary", {}).get("not_scanned", 0)
    return f"scanned as {fmt}; {top}" + ("; not scanned" if unread else "")


OnLoaded = Callable[[str, Sample, Outcome], None]


def judge(oracle: Oracle, key: str, s: Sample, summary: Summary,
          on_case: Callable[[str, Case], None] | None = None, *,
          stop_first: bool = False, check_now: bool = True,
          on_loaded: OnLoaded | None = None) -> Case | None:  # fmt: skip
    """Write ``s`` into the oracle's scratch, load it, check it; record the result.

    With ``check_now=False`` only the loaders run: files a loader executed (and benign files a
    loader loaded) go to ``on_loaded``, to be judged later by :func:`rejudge` against whatever
    Airlock is current then (the loaders' behaviour does not depend on Airlock).
    """
    folder = oracle.scratch / "in" / key.replace(":", "_")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (s.name or "unnamed")
    path.write_bytes(s.data)
    try:
        out = oracle.run(path, s.marker, stop_first=stop_first)
        summary.files += 1
        summary.crashed += out.crashed
        if s.marker is not None:
            summary.with_payload += 1
        if out.fired:
            summary.fired += 1
            summary.by_shape[s.shape] += 1
            summary.by_loader.update(out.fired)
        elif s.marker is None and out.loaded:
            summary.benign_loaded += 1
        else:
            return None
        if on_loaded is not None:
            on_loaded(key, s, out)
        return _verdict(key, s, out, path, summary, on_case) if check_now else None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _verdict(key: str, s: Sample, out: Outcome, path: Path, summary: Summary,
             on_case: Callable[[str, Case], None] | None) -> Case:  # fmt: skip
    r = check(path)
    case = Case(key, s, out, r.allowed, _reasons(r), signature(r))
    if out.fired and r.allowed:
        summary.holes.append(case)
        if on_case:
            on_case("hole", case)
    elif not out.fired and not r.allowed:
        summary.false_positives.append(case)
        if on_case:
            on_case("fp", case)
    return case


def rejudge(records: Iterator[dict[str, Any]], work: Path, summary: Summary,
            on_case: Callable[[str, Case], None] | None = None) -> None:  # fmt: skip
    """``airlock.check`` on files an earlier oracle run recorded (see :func:`judge`): each is
    rebuilt from its key with the scratch path it was generated under."""
    for rec in records:
        s = rebuild(rec["key"], Path(rec["scratch"]))
        out = Outcome(rec["fired"], rec["loaded"])
        folder = work / rec["key"].replace(":", "_")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (s.name or "unnamed")
        path.write_bytes(s.data)
        try:
            summary.files += 1
            if out.fired:
                summary.fired += 1
                summary.by_shape[s.shape] += 1
                summary.by_loader.update(out.fired)
            else:
                summary.benign_loaded += 1
            _verdict(rec["key"], s, out, path, summary, on_case)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def record(scratch: Path, key: str, s: Sample, out: Outcome) -> dict[str, Any]:
    """The JSON line :func:`rejudge` reads back."""
    return {"key": key, "scratch": str(scratch), "shape": s.shape, "gadget": s.gadget,
            "fired": out.fired, "loaded": out.loaded}  # fmt: skip


def run(oracle: Oracle, cases: Iterator[tuple[str, Sample]],
        on_case: Callable[[str, Case], None] | None = None, *, stop_first: bool = False,
        check_now: bool = True, on_loaded: OnLoaded | None = None) -> Summary:  # fmt: skip
    summary = Summary()
    t0 = time.monotonic()
    for key, s in cases:
        judge(oracle, key, s, summary, on_case, stop_first=stop_first, check_now=check_now,
              on_loaded=on_loaded)  # fmt: skip
    summary.seconds = time.monotonic() - t0
    return summary


def describe(kind: str, c: Case) -> str:
    """A Markdown entry: how to rebuild the file, which loaders ran it, what the gate said."""
    s = c.sample
    lines = [
        f"- **{kind}** `{c.key}` class `{c.cls}`: gadget `{s.gadget}`, file `{s.name}` "
        f"({len(s.data)} bytes)",
        f"  - recipe: `{s.recipe[:300]}`",
        f"  - loaders that ran it: {', '.join(c.outcome.fired) or '-'}; loaded: "
        f"{', '.join(c.outcome.loaded) or '-'}",
        f"  - check: {'ALLOW' if c.allowed else 'deny'}: {' | '.join(c.reasons)[:600]}",
        f"  - rebuild: `rebuild('{c.key}', Path('/tmp/S'))` from tests.differential.campaign "
        "(marker under /tmp/S/m)",
    ]
    if len(s.data) <= 700:
        lines.append(f"  - base64: `{base64.b64encode(s.data).decode()}`")
    return "\n".join(lines) + "\n"
