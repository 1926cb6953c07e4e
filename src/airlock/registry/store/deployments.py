"""Deployments: which version each one runs, and which are affected by revocations or advisories."""

from __future__ import annotations

from sqlalchemy import select

from airlock.registry import audit
from airlock.registry.db import DeploymentRow, VersionRow, utcnow
from airlock.registry.records import AffectedDeployment, Deployment
from airlock.registry.store.advisories import advisories_for
from airlock.registry.store.base import StoreBase, check_name, iso


class Deployments(StoreBase):
    """Which deployment runs which version, and which of them are affected."""

    def deploy(self, name: str, environment: str, digest: str, *, actor: str) -> Deployment:
        """Record (or refresh) that deployment ``name`` in ``environment`` runs ``digest``."""
        check_name(name, "deployment name")
        check_name(environment, "environment")
        now = utcnow()
        with self._write() as (s, head):
            facts = self._version(s, digest)
            row = s.execute(
                select(DeploymentRow).where(
                    DeploymentRow.name == name, DeploymentRow.environment == environment
                )
            ).scalar_one_or_none()
            previous = None
            if row is None:
                s.add(
                    DeploymentRow(
                        name=name,
                        environment=environment,
                        version_id=facts.version.id,
                        last_seen=now,
                    )
                )
            else:
                if row.version_id != facts.version.id:
                    previous = s.execute(
                        select(VersionRow.digest).where(VersionRow.id == row.version_id)
                    ).scalar_one()
                row.version_id = facts.version.id
                row.last_seen = now
            audit.append(
                s,
                head,
                actor=actor,
                action="deployment.record",
                subject=f"{environment}/{name}",
                payload={"digest": digest, "previous": previous},
            )
        return Deployment(name, environment, digest, facts.version.state, iso(now))

    def list_deployments(self) -> list[Deployment]:
        with self._read() as s:
            rows = s.execute(
                select(DeploymentRow, VersionRow.digest, VersionRow.state)
                .join(VersionRow, VersionRow.id == DeploymentRow.version_id)
                .order_by(DeploymentRow.environment, DeploymentRow.name)
            ).all()
            return [
                Deployment(d.name, d.environment, digest, state, iso(d.last_seen))
                for d, digest, state in rows
            ]

    def affected(self) -> list[AffectedDeployment]:
        """Deployments running a revoked version or one named by an advisory."""
        out = []
        with self._read() as s:
            rows = s.execute(
                select(DeploymentRow, VersionRow)
                .join(VersionRow, VersionRow.id == DeploymentRow.version_id)
                .order_by(DeploymentRow.environment, DeploymentRow.name)
            ).all()
            for d, v in rows:
                advisories = advisories_for(s.connection(), v.id)
                if v.state != "revoked" and not advisories:
                    continue
                out.append(
                    AffectedDeployment(
                        d.name,
                        d.environment,
                        v.digest,
                        v.state,
                        tuple(advisories),
                        iso(d.last_seen),
                    )
                )
        return out
