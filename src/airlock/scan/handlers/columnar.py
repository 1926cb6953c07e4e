"""Columnar data files: Parquet, Arrow IPC (file and stream: Feather v2, HF ``datasets``'
``save_to_disk`` shards) and Feather v1, read by ``airlock.formats.columnar`` (bounded, no Arrow
library sees the bytes). Their readers decode column data only; what could reach code is an
Arrow extension type: ``arrow.py_extension_type`` makes pyarrow 0.14.1-14.0.0 ``pickle.loads``
the field's ``ARROW:extension:metadata`` on read (CVE-2023-47248; pyarrow 14.0.1 refuses it,
later versions removed ``PyExtensionType``), and any other extension name resolves to a class
the reading process registered itself, whose ``__arrow_ext_deserialize__`` gets the metadata.
Extension metadata that reads as a pickle is judged as one (a child); ``pandas`` and
``huggingface`` schema metadata are data (dtype names pandas looks up in its registry, feature
descriptions)."""

from __future__ import annotations

import struct

from airlock.formats import columnar
from airlock.formats.pickle_sniff import looks_like_pickle
from airlock.formats.source import FormatProblem
from airlock.report import Severity
from airlock.scan.format_rules import Rule, short
from airlock.scan.interface import Child, ScanContext, ScanOutcome, Source, Unparseable

ARROW_REF = "https://arrow.apache.org/docs/format/Columnar.html#extension-types"
UNPARSEABLE = Rule(
    "AIR-COL-000",
    Severity.HIGH,
    "Columnar data file cannot be parsed",
    "A file that starts like Parquet, Arrow IPC or Feather and whose footer, schema or message"
    " framing does not hold cannot be judged; its schema is what a reader rebuilds types from.",
    "https://parquet.apache.org/docs/file-format/",
    blocks=True,
)
PY_EXTENSION = Rule(
    "AIR-COL-001",
    Severity.HIGH,
    "Arrow field of the pickled extension type arrow.py_extension_type",
    "pyarrow 0.14.1 to 14.0.0 unpickle a field's ARROW:extension:metadata when its extension"
    " name is arrow.py_extension_type (CVE-2023-47248): reading the file (pyarrow, pandas,"
    " datasets) runs whatever the pickle calls. Honest writers (datasets < 2.15 for Array2D-5D)"
    " stopped using it with pyarrow 14 and datasets 2.15.",
    "https://nvd.nist.gov/vuln/detail/CVE-2023-47248",
)
PY_EXT_NAME = b"arrow.py_extension_type"
EXT_NAME = "ARROW:extension:name"
EXT_META = "ARROW:extension:metadata"
MAX_CHILDREN = 100
MAX_FINDINGS = 50


def _judge(
    schemas: list[columnar.ArrowSchema], ctx: ScanContext, out: ScanOutcome, where: str
) -> None:
    names: set[str] = set()
    keys: set[str] = set()
    seen: set[tuple[str, tuple[tuple[str, bytes], ...]]] = set()
    for schema in schemas:  # an IPC file's footer and stream schemas are usually the same
        keys.update(k[:60] for k, _ in schema.metadata)
        for path, meta in schema.fields:
            if (path, tuple(meta)) in seen:
                continue
            seen.add((path, tuple(meta)))
            # Every pair: a key may repeat, and pyarrow uses the first value where a dict
            # would keep the last, so each extension name and each metadata value is judged.
            ext_names = [v for k, v in meta if k == EXT_NAME]
            payloads = [v for k, v in meta if k == EXT_META and v]
            names.update(n.decode("utf-8", "replace")[:80] for n in ext_names)
            py_ext = PY_EXT_NAME in ext_names
            if py_ext and len(out.findings) < MAX_FINDINGS:
                ev = f"{where}field {short(path, 200)}: {EXT_NAME} {PY_EXT_NAME.decode()}"
                if any(b"datasets.features.features" in p for p in payloads):
                    ev += " (datasets < 2.15 wrote Array2D-5D features so: re-save with 2.15+)"
                out.findings.append(PY_EXTENSION.finding(ctx.location, ev, member=ctx.member))
            for i, payload in enumerate(payloads):
                if not (py_ext or looks_like_pickle(payload)) or len(out.children) >= MAX_CHILDREN:
                    continue
                nth = f" #{i + 1}" if len(payloads) > 1 else ""
                label = f"{where}field {path[:100]} {EXT_META}{nth}"
                out.children.append(Child.of(label, payload, hint="pickle"))
    if keys:
        out.notes.append(f"{where}schema metadata keys: {', '.join(sorted(keys)[:20])}")
    if names:
        out.notes.append(f"{where}extension types: {', '.join(sorted(names)[:20])}")


class ParquetHandler:
    """``PAR1`` ... ``PAR1`` files."""

    name = "parquet"

    def sniff(self, src: Source) -> bool:
        return src.head.startswith(columnar.PARQUET_MAGIC) and src.size >= 12

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        out = ScanOutcome(format=self.name)
        try:
            pq = columnar.read_parquet(src.view())
            schemas = [columnar.arrow_schema_of(v) for k, v in pq.metadata if k == "ARROW:schema"]
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, str(exc)[:300], out) from None
        out.notes.append(
            f"Parquet v{pq.version}: {pq.num_rows} rows, footer {pq.footer_bytes} bytes,"
            f" written by {pq.created_by or '?'}"
        )
        keys = sorted({k[:60] for k, _ in pq.metadata})
        if keys:
            out.notes.append(f"key-value metadata: {', '.join(keys[:20])}")
        _judge(schemas, ctx, out, "ARROW:schema ")
        return out


class ArrowHandler:
    """Arrow IPC files (``ARROW1``, Feather v2) and streams (``0xFFFFFFFF`` + schema message)."""

    name = "arrow-ipc"

    def sniff(self, src: Source) -> bool:
        head = src.head
        if head.startswith(columnar.ARROW_MAGIC):
            return True
        if not head.startswith(columnar.CONTINUATION) or len(head) < 8:
            return False
        length = int(struct.unpack_from("<i", head, 4)[0])
        if not 0 < length <= min(src.size - 8, 1 << 20):
            return False
        try:
            return columnar._message(src.read_at(8, length), "sniff")[0] == columnar.SCHEMA
        except (FormatProblem, struct.error):
            return False

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        out = ScanOutcome(format=self.name)
        view = src.view()
        try:
            if src.head.startswith(columnar.ARROW_MAGIC):
                af = columnar.read_file(view)
            else:
                af = columnar.read_stream(view)
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, str(exc)[:300], out) from None
        out.format = "arrow-file" if af.kind == "file" else "arrow-stream"
        fields = max((s.count for s in af.schemas), default=0)
        out.notes.append(
            f"Arrow IPC {af.kind}: {fields} fields, {af.messages} messages,"
            f" {af.record_batches} record batches"
        )
        _judge(af.schemas, ctx, out, "")
        return out


class FeatherV1Handler:
    """Feather v1 (``FEA1`` ... ``FEA1``): primitive columns, no extension types."""

    name = "feather-v1"

    def sniff(self, src: Source) -> bool:
        return src.head.startswith(columnar.FEATHER1)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            count = columnar.read_feather_v1(src.view())
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, str(exc)[:300]) from None
        return ScanOutcome(format=self.name, notes=[f"Feather v1: {count} columns"])
