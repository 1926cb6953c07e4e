"""CycloneDX 1.6 ML-BOM of the registry (or one model): every version, its files and its state.

Each version is a ``machine-learning-model`` component whose ``bom-ref`` and SHA-256 hash are the
OMS root digest (property ``airlock:digest-method`` says so: it is the digest over the per-file
digests, not over one file), with one ``file`` sub-component per file. State, approvers,
advisories, source and claimed base model are ``airlock:*`` properties.
"""

from __future__ import annotations

from collections.abc import Iterable

from airlock.errors import DependencyError
from airlock.registry.records import ExportRecord


def build_bom(records: Iterable[ExportRecord]) -> str:
    """The BOM as CycloneDX 1.6 JSON text; ``records`` come from ``export_records()``."""
    try:
        from cyclonedx.model import (
            ExternalReference,
            ExternalReferenceType,
            HashAlgorithm,
            HashType,
            Property,
            XsUri,
        )
        from cyclonedx.model.bom import Bom
        from cyclonedx.model.component import Component, ComponentType
        from cyclonedx.model.license import DisjunctiveLicense
        from cyclonedx.output.json import JsonV1Dot6
    except ImportError:
        raise DependencyError(
            "CycloneDX export needs cyclonedx-python-lib: pip install cyclonedx-python-lib"
        ) from None

    bom = Bom()
    for r in records:
        digest = r.digest
        props = [
            Property(name="airlock:root-digest", value=digest),
            Property(name="airlock:digest-method", value="oms-v1.0-root-sha256"),
            Property(name="airlock:state", value=r.state),
        ]
        if r.source:
            props.append(Property(name="airlock:source", value=r.source))
        if r.base_model:
            props.append(Property(name="airlock:base-model", value=r.base_model))
        approvers = sorted({d.approver for d in r.decisions if d.decision == "approve"})
        if approvers:
            props.append(Property(name="airlock:approved-by", value=", ".join(approvers)))
        for a in r.advisories:
            props.append(Property(name="airlock:advisory", value=f"{a.id} ({a.severity})"))
        refs = []
        source = r.source
        if source.startswith("hf:") and len(source) > 3:
            refs.append(
                ExternalReference(
                    type=ExternalReferenceType.DISTRIBUTION,
                    url=XsUri(f"https://huggingface.co/{source[3:]}"),
                )
            )
        component = Component(
            name=r.model,
            type=ComponentType.MACHINE_LEARNING_MODEL,
            version=r.source_revision or f"sha256:{digest[:16]}",
            bom_ref=f"airlock:{digest}",
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=digest)],
            licenses=[DisjunctiveLicense(name=r.license)] if r.license else None,
            external_references=refs,
            properties=props,
        )
        for f in r.files:
            component.components.add(
                Component(
                    name=f["path"],
                    type=ComponentType.FILE,
                    bom_ref=f"airlock:{digest}:{f['path']}",
                    hashes=[HashType(alg=HashAlgorithm.SHA_256, content=f["digest"])],
                    properties=[Property(name="airlock:size", value=str(f["size"]))],
                )
            )
        bom.components.add(component)
    text: str = JsonV1Dot6(bom).output_as_string(indent=2)
    return text
