"""TensorFlow SavedModels (``saved_model.pb``): ops that run Python, touch files or the network,
and asset names that leave the model."""

from __future__ import annotations

from airlock.formats.protobuf_wire import ProtobufError
from airlock.formats.savedmodel import looks_like_savedmodel, read_savedmodel
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import ScanContext, ScanOutcome, Source, Unparseable
from airlock.scan.tf_load import load_time_problems
from airlock.scan.tf_ops import CHECKPOINT_OPS, IO_OPS, MEDIUM_OPS, PYTHON_OPS
from airlock.scan.tf_saver import asset_reads, unproven_checkpoint_ops

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
CHECKPOINT_PATH = Rule(
    "AIR-TF-004",
    Severity.HIGH,
    "SavedModel checkpoint op is not only the saver's",
    "SaveV2, RestoreV2 and MergeV2Checkpoints write, read or delete files at the path they are"
    " given. In a saver that path is the SaverDef's filename placeholder, which the loader"
    " feeds with the model's own variables; a constant or other path, or a resource"
    " initializer, main op or signature that runs the op, writes or reads any file when the"
    " model is loaded or called.",
    TF_REF,
)

LOAD_COST = Rule(
    "AIR-TF-005",
    Severity.HIGH,
    "SavedModel computes something at load whose cost is not bounded",
    "tf.saved_model.load runs resource initializers, restore functions and init ops before any"
    " signature is called; honest savers put only table and variable plumbing there. A loop, an"
    " op that sizes its output from a tensor (Fill, BroadcastTo, Tile, random ops) or a Const"
    " declaring far more values than it carries can take gigabytes or never end while loading.",
    TF_REF,
    blocks=True,
)

MAX_PER_OP = 5
MAX_CHECKPOINT_FINDINGS = 5


class SavedModelHandler:
    """``saved_model.pb`` (SavedModel protobuf)."""

    name = "tf-savedmodel"

    def sniff(self, src: Source) -> bool:
        return looks_like_savedmodel(src.head)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            model = read_savedmodel(src.view())
        except ProtobufError as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        findings: list[Finding] = []
        seen: dict[str, int] = {}
        assets = {r for mg in model.meta_graphs for r in asset_reads(mg, MEDIUM_OPS)}
        for use in model.ops:
            rule, severity, what = None, None, ""
            if use.op in PYTHON_OPS:
                rule, what = PYTHON_OP, "runs Python"
            elif use.op in IO_OPS:
                rule, what = IO_OP, IO_OPS[use.op]
                if use.op in MEDIUM_OPS and (use.where, use.node) in assets:
                    severity, what = Severity.MEDIUM, f"{what}, the model's own asset"
                elif use.op in MEDIUM_OPS:
                    what += ", a path that is not one of the model's assets"
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
        unproven = [r for mg in model.meta_graphs for r in unproven_checkpoint_ops(mg)]
        for reason in unproven[:MAX_CHECKPOINT_FINDINGS]:
            findings.append(CHECKPOINT_PATH.finding(ctx.location, reason, member=ctx.member))
        if len(unproven) > MAX_CHECKPOINT_FINDINGS:
            more = f"{len(unproven) - MAX_CHECKPOINT_FINDINGS} more checkpoint ops not proven"
            findings.append(CHECKPOINT_PATH.finding(ctx.location, more, member=ctx.member))
        for mg in model.meta_graphs:
            for reason in load_time_problems(mg):
                findings.append(LOAD_COST.finding(ctx.location, reason, member=ctx.member))
        checkpoint = sum(1 for u in model.ops if u.op in CHECKPOINT_OPS)
        notes = [
            f"SavedModel: {len(model.ops)} ops, {len(model.functions)} functions, "
            f"{checkpoint} checkpoint ops, TF {sorted(set(model.tf_versions))}"
        ]
        return ScanOutcome(format="tf-savedmodel", findings=findings, notes=notes)
