"""Scan handlers for TensorFlow SavedModels: ops that run Python, touch files or the network in
``saved_model.pb``, asset names that leave the model, and Keras configs in ``keras_metadata.pb``."""

from __future__ import annotations

import json
from typing import Any

from airlock.formats.protobuf_wire import ProtobufError
from airlock.formats.savedmodel import (
    keras_metadata_configs,
    looks_like_savedmodel,
    read_savedmodel,
)
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source
from airlock.scan.keras_handler import config_findings

TF_REF = "https://github.com/tensorflow/tensorflow/blob/master/SECURITY.md"

UNPARSEABLE = Rule(
    "AIR-TF-000",
    Severity.HIGH,
    "TensorFlow SavedModel cannot be parsed",
    "A graph the scanner cannot follow cannot be judged; TensorFlow may still load it.",
    TF_REF,
    blocks=True,
)
PYTHON_OP = Rule(
    "AIR-TF-001",
    Severity.CRITICAL,
    "SavedModel graph calls back into Python",
    "PyFunc/EagerPyFunc ops run a Python callable of the loading process with model-controlled"
    " inputs; a graph has no reason to ship them.",
    TF_REF,
)
IO_OP = Rule(
    "AIR-TF-002",
    Severity.HIGH,
    "SavedModel graph reads or writes files, or talks to the network",
    "Ops such as ReadFile, WriteFile, MatchingFiles, dataset readers/writers, summary writers,"
    " RPC and tf.data service ops act on the host when the graph runs: data exfiltration or"
    " file planting through an ordinary inference call.",
    TF_REF,
)
ASSET_ESCAPE = Rule(
    "AIR-TF-003",
    Severity.HIGH,
    "SavedModel asset name leaves the assets directory",
    "Asset file names are bare names; separators, '..' or absolute paths make the loader bind"
    " a file outside the model.",
    TF_REF,
)

PYTHON_OPS = frozenset({"PyFunc", "PyFuncStateless", "EagerPyFunc"})
# op -> what it does (severity HIGH unless listed in MEDIUM_OPS)
IO_OPS: dict[str, str] = {
    **dict.fromkeys(
        ["ReadFile", "MatchingFiles", "ImmutableConst", "WholeFileReader", "WholeFileReaderV2",
         "TextLineReader", "TextLineReaderV2", "TFRecordReader", "TFRecordReaderV2",
         "FixedLengthRecordReader", "FixedLengthRecordReaderV2", "IdentityReader",
         "IdentityReaderV2", "LMDBReader", "TextLineDataset", "TFRecordDataset",
         "TFRecordDatasetV2", "FixedLengthRecordDataset", "FixedLengthRecordDatasetV2",
         "CSVDataset", "CSVDatasetV2", "ExperimentalCSVDataset", "LMDBDataset",
         "ExperimentalLMDBDataset", "MatchingFilesDataset", "ExperimentalMatchingFilesDataset",
         "LoadDataset", "LoadAndRemapMatrix", "InitializeTableFromTextFile",
         "InitializeTableFromTextFileV2", "DecodeProtoV2"],
        "reads files",
    ),
    **dict.fromkeys(
        ["WriteFile", "DatasetToTFRecord", "ExperimentalDatasetToTFRecord", "SaveDataset",
         "SaveDatasetV2", "SnapshotDataset", "SnapshotDatasetV2", "SnapshotDatasetReader",
         "DistributedSave", "CreateSummaryFileWriter", "CreateSummaryDbWriter", "WriteSummary",
         "WriteScalarSummary", "WriteHistogramSummary", "WriteImageSummary",
         "WriteAudioSummary", "WriteRawProtoSummary", "WriteGraphSummary", "ImportEvent",
         "FlushSummaryWriter", "PrintV2"],
        "writes files",
    ),
    **dict.fromkeys(
        ["SqlDataset", "ExperimentalSqlDataset", "DataServiceDataset", "DataServiceDatasetV2",
         "DataServiceDatasetV3", "DataServiceDatasetV4", "RegisterDataset", "RegisterDatasetV2",
         "Rpc", "TryRpc", "RpcClient", "RpcCall", "RpcServer", "RpcServerStart",
         "RpcServerRegister", "DebugIdentity", "DebugIdentityV2", "DebugIdentityV3",
         "DebugNanCount", "DebugNumericSummary", "DebugNumericSummaryV2",
         "GcsConfigureCredentials", "GcsConfigureBlockCache", "BigQueryReader",
         "FileSystemSetConfiguration"],
        "uses the network or external services",
    ),
}  # fmt: skip
# Reading a vocabulary shipped as an asset is ordinary; still worth a look.
MEDIUM_OPS = frozenset({"InitializeTableFromTextFile", "InitializeTableFromTextFileV2"})
CHECKPOINT_OPS = frozenset(
    {"SaveV2", "RestoreV2", "MergeV2Checkpoints", "Save", "Restore", "RestoreSlice", "SaveSlices"}
)
MAX_PER_OP = 5


class SavedModelHandler:
    """``saved_model.pb`` (SavedModel protobuf)."""

    name = "tf-savedmodel"

    def sniff(self, src: Source) -> bool:
        return looks_like_savedmodel(src.head)

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        try:
            model = read_savedmodel(src.view())
        except ProtobufError as exc:
            f = UNPARSEABLE.finding(ctx.location, str(exc), member=ctx.member)
            return ScanOutcome(format="tf-savedmodel", findings=[f])
        findings: list[Finding] = []
        seen: dict[str, int] = {}
        for use in model.ops:
            rule, severity, what = None, None, ""
            if use.op in PYTHON_OPS:
                rule, what = PYTHON_OP, "runs Python"
            elif use.op in IO_OPS:
                rule, what = IO_OP, IO_OPS[use.op]
                severity = Severity.MEDIUM if use.op in MEDIUM_OPS else None
            if rule is None:
                continue
            seen[use.op] = seen.get(use.op, 0) + 1
            if seen[use.op] > MAX_PER_OP:
                continue
            ev = f"op {use.op!r} ({what}) node {use.node!r} in {use.where}"
            findings.append(rule.finding(ctx.location, ev, member=ctx.member, severity=severity))
        for asset in model.assets:
            if asset.startswith(("/", "\\")) or ".." in asset.replace("\\", "/").split("/"):
                ev = f"asset file name {asset!r}"
                findings.append(ASSET_ESCAPE.finding(ctx.location, ev, member=ctx.member))
        checkpoint = sum(1 for u in model.ops if u.op in CHECKPOINT_OPS)
        notes = [
            f"SavedModel: {len(model.ops)} ops, {len(model.functions)} functions, "
            f"{checkpoint} checkpoint ops, TF {sorted(set(model.tf_versions))}"
        ]
        return ScanOutcome(format="tf-savedmodel", findings=findings, notes=notes)


class KerasMetadataHandler:
    """``keras_metadata.pb`` (tf.keras SavedModel): the Keras config of every saved layer."""

    name = "keras-metadata"

    def sniff(self, src: Source) -> bool:
        return src.head[:1] == b"\x0a" and b'"class_name"' in src.head

    def scan(self, src: Source, ctx: ScanContext, **options: Any) -> ScanOutcome:
        try:
            blobs = keras_metadata_configs(src.view())
        except ProtobufError as exc:
            json_outcome = _as_json(src, ctx)  # "\n{...}" JSON also starts with 0x0a
            if json_outcome is not None:
                return json_outcome
            f = UNPARSEABLE.finding(ctx.location, str(exc), member=ctx.member)
            return ScanOutcome(format="keras-metadata", findings=[f])
        findings: list[Finding] = []
        for i, blob in enumerate(blobs):
            findings.extend(
                config_findings(blob, ctx.location, ctx.member, f"node[{i}]", require=False)
            )
        return ScanOutcome(format="keras-metadata", findings=findings)


def _as_json(src: Source, ctx: ScanContext) -> ScanOutcome | None:
    from airlock.scan.repo_config import JsonConfigHandler

    if src.size > ctx.limits.max_json_bytes:
        return None
    try:
        json.loads(bytes(src.view()))
    except (ValueError, RecursionError):
        return None
    return JsonConfigHandler().scan(src, ctx)
