"""One rule registry: every finding's rule is registered, the docs table and the SARIF rule
metadata come from it, and "not judged" rules make their object not scanned."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

from airlock.render.sarif import to_sarif
from airlock.scan.engine import ScanOptions, not_judged, scan_data, scan_paths
from airlock.scan.format_rules import all_rules, lookup, rule_table
from airlock.scan.interface import Limits

from . import samples

DOC = Path(__file__).resolve().parents[2] / "docs" / "scan-formats.md"


def test_docs_rule_table_is_generated_from_the_registry() -> None:
    assert rule_table() in DOC.read_text(encoding="utf-8"), (
        "docs/scan-formats.md is stale: paste airlock.scan.format_rules.rule_table()"
    )


def test_rule_ids_are_unique_and_well_formed() -> None:
    rules = all_rules()
    ids = [r.rule_id for r in rules]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("AIR-") and r.title and r.why for i, r in zip(ids, rules, strict=True))


def test_every_finding_names_a_registered_rule(tmp_path: Path) -> None:
    evil = samples.evil_pickle(tmp_path / "m")
    cases = [
        evil,
        samples.torch_zip(evil),
        samples.zip_bytes({"../x.pkl": evil}),
        samples.tar_bytes({"/abs.pkl": evil}),
        gzip.compress(b"\0" * 4096),
        samples.npy_object(tmp_path / "m"),
        b"garbage" * 10,
        pickle.dumps(list(range(100))),
    ]
    tiny = ScanOptions(limits=Limits(max_pickle_ops=5, max_resident_bytes=1024))
    for data in cases:
        for opts in (None, tiny):
            for name in ("x.bin", "x.safetensors", "x.txt"):
                report = scan_data(data, name, opts)
                for f in report.findings:
                    assert lookup(f.rule_id) is not None, f.rule_id
                    if not_judged(f.rule_id):
                        assert any(o.status == "not_scanned" for o in report.objects), f.rule_id


def test_sarif_rule_metadata_comes_from_the_registry(tmp_path: Path) -> None:
    (tmp_path / "a.pkl").write_bytes(samples.evil_pickle(tmp_path / "m"))
    doc = to_sarif(scan_paths([tmp_path]))
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        known = lookup(rule["id"])
        assert known is not None
        assert rule["shortDescription"]["text"] == known.title
        assert rule["fullDescription"]["text"] == known.why
