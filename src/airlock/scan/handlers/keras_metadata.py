"""``keras_metadata.pb`` (tf.keras SavedModel): the Keras config of every saved layer, judged by
``airlock.scan.keras_rules`` (a file that does not parse is an unparseable Keras config)."""

from __future__ import annotations

import json

from airlock.formats.protobuf_wire import ProtobufError
from airlock.formats.savedmodel import keras_metadata_configs
from airlock.report import Finding
from airlock.scan.config_rules import json_outcome
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable
from airlock.scan.keras_rules import UNPARSEABLE, build_findings, config_findings, folder_bytes


class KerasMetadataHandler:
    """``keras_metadata.pb`` (tf.keras SavedModel): the Keras config of every saved layer."""

    name = "keras-metadata"

    def sniff(self, src: Source) -> bool:
        return src.head[:1] == b"\x0a" and b'"class_name"' in src.head

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            blobs = keras_metadata_configs(src.view())
        except ProtobufError as exc:
            as_json = _as_json(src, ctx)  # "\n{...}" JSON also starts with 0x0a
            if as_json is not None:
                return as_json
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        findings: list[Finding] = []
        for i, blob in enumerate(blobs):
            findings.extend(
                config_findings(blob, ctx.location, ctx.member, f"node[{i}]", require=False)
            )
        # tf.keras revives every layer from its config and builds it before the checkpoint is
        # read (rt19fmt2): the layers of all nodes together, judged by the SavedModel's bytes
        docs = []
        for blob in blobs:
            try:
                docs.append(json.loads(blob))
            except (ValueError, RecursionError):
                continue  # config_findings reported it
        folder = ctx.fs_path.parent if ctx.fs_path is not None and ctx.member is None else None
        carried = folder_bytes(folder, ctx.location) if folder is not None else 0
        findings.extend(build_findings(docs, carried, ctx.location, ctx.member, "keras_metadata"))
        return ScanOutcome(format="keras-metadata", findings=findings)


def _as_json(src: Source, ctx: ScanContext) -> ScanOutcome | None:
    if src.size > ctx.limits.max_json_bytes:
        return None
    try:
        json.loads(bytes(src.view()))
    except (ValueError, RecursionError):
        return None
    return json_outcome(src, ctx)
