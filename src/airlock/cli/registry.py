"""``airlock registry ...``: the registry of approved model versions, locally or over HTTP.

Every command works on the local database (``--database`` / ``$AIRLOCK_DATABASE_URL`` / the
user's default SQLite file) unless ``--registry URL`` (``$AIRLOCK_REGISTRY_URL``) names a server,
in which case it authenticates with ``--token`` / ``$AIRLOCK_REGISTRY_TOKEN``.
"""

from __future__ import annotations

import enum
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from airlock.cli import _common
from airlock.cli._common import EXIT_FINDINGS, EXIT_OK, OutputFormat

if TYPE_CHECKING:
    from airlock.provenance.manifest import Manifest
    from airlock.registry.backend import RegistryBackend

REGISTRY_OPTION = typer.Option(
    None, "--registry", envvar="AIRLOCK_REGISTRY_URL", help="Registry server URL (else local DB)."
)
TOKEN_OPTION = typer.Option(
    None,
    "--token",
    envvar="AIRLOCK_REGISTRY_TOKEN",
    help="API token for --registry (env AIRLOCK_REGISTRY_TOKEN).",
    show_default=False,
)
DATABASE_OPTION = typer.Option(
    None,
    "--database",
    envvar="AIRLOCK_DATABASE_URL",
    help="Database URL for local use (sqlite:///... or postgresql+psycopg://...).",
)
MAX_JSON_FILE = 256 * 1024 * 1024


class ExportFormat(enum.StrEnum):
    allowlist = "allowlist"
    cyclonedx = "cyclonedx"


def _actor() -> str:
    import getpass

    try:
        return f"local:{getpass.getuser()}"
    except (KeyError, OSError):
        return "local:unknown"


@dataclass(frozen=True)
class Target:
    """The registry a command works on: ``--registry URL`` (a server, or a database URL) or the
    local database (``--database``, ``$AIRLOCK_DATABASE_URL``, the user's default file)."""

    registry: str | None
    token: str | None
    database: str | None

    def open(self) -> RegistryBackend:
        """The connected backend (use it as a context manager: it is closed afterwards)."""
        from airlock.registry import connect

        return connect(self.registry or self.database, token=self.token)


_TARGET_PARAMS = (
    inspect.Parameter("registry", inspect.Parameter.KEYWORD_ONLY, default=REGISTRY_OPTION,
                      annotation=str | None),
    inspect.Parameter("token", inspect.Parameter.KEYWORD_ONLY, default=TOKEN_OPTION,
                      annotation=str | None),
    inspect.Parameter("database", inspect.Parameter.KEYWORD_ONLY, default=DATABASE_OPTION,
                      annotation=str | None),
)  # fmt: skip


def _registry_command(
    group: typer.Typer, name: str, **settings: Any
) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Register ``fn(target, **options) -> exit code`` as command ``name`` of ``group``, with
    ``--registry``, ``--token`` and ``--database`` added to its own options (before
    ``--format``): one code path whether the registry is a server or a local database, and
    errors turned into exit codes by ``_common.guarded``."""

    def decorate(fn: Callable[..., int]) -> Callable[..., int]:
        hints = typing.get_type_hints(fn)
        own = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[p.name])
            for p in inspect.signature(fn).parameters.values()
            if p.name != "target"
        ]
        at = next((i for i, p in enumerate(own) if p.name == "fmt"), len(own))
        params = [*own[:at], *_TARGET_PARAMS, *own[at:]]

        def command(**options: Any) -> None:
            target = Target(options.pop("registry"), options.pop("token"), options.pop("database"))
            raise typer.Exit(_common.guarded(lambda: fn(target, **options)))

        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        command.__name__, command.__doc__ = fn.__name__, fn.__doc__
        group.command(name, **settings)(command)
        return fn

    return decorate


def _read_json(path: Path, what: str) -> Any:
    import json

    from airlock.errors import FormatError, InputError
    from airlock.fileio import read_capped

    try:
        text = read_capped(path, MAX_JSON_FILE, what).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: {what} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise FormatError(f"{path}: {what} is not valid JSON") from None


def _emit(fmt: OutputFormat, data: Any, text: str) -> None:
    """``data`` (a record, a list of records or JSON) as JSON, or ``text`` for people."""
    from airlock.registry.records import Record

    if fmt is OutputFormat.json:
        if isinstance(data, Record):
            data = data.to_json()
        elif isinstance(data, list):
            data = [r.to_json() if isinstance(r, Record) else r for r in data]
        _common.print_json(data)
    else:
        _common.console().print(text, markup=False, highlight=False)


def _run(fn: Any) -> None:
    raise typer.Exit(_common.guarded(fn))


def _checkpoint_setup(url: str, key_path: Path, log: Path | None) -> None:
    """``serve --checkpoint-key``: load the key now (a passphrase is asked once, here, and
    handed to the workers), find the log, and refuse to serve when the database no longer
    holds a checkpoint in it (the last 1,000 lines)."""
    import os

    from airlock.cli.signing import load_signing_key
    from airlock.errors import UsageError
    from airlock.provenance.keys import PASSPHRASE_ENV, private_key_is_encrypted
    from airlock.registry import connect
    from airlock.registry.api import ENV_CHECKPOINT_KEY, ENV_CHECKPOINT_LOG
    from airlock.registry.checkpoint import (
        CheckpointFailure,
        backend_problems,
        default_log,
        read_log_tail,
    )

    if private_key_is_encrypted(key_path) and not os.environ.get(PASSPHRASE_ENV):
        raise UsageError(f"--checkpoint-key is encrypted: set {PASSPHRASE_ENV} for the workers")
    private_key = load_signing_key(key_path)
    log = log or default_log(url)
    if log is None:
        raise UsageError("--checkpoint-key on PostgreSQL needs --checkpoint-log FILE")
    if log.exists():
        held = read_log_tail(log, private_key.public_key())
        with connect(url) as b:
            head = b.audit_head()
            found = backend_problems(b, held, head.seq)
        if found:
            raise CheckpointFailure(
                f"{log}: the registry database no longer holds its checkpoints, not serving: "
                + "; ".join(found[:3])
            )
    os.environ[ENV_CHECKPOINT_KEY] = str(key_path.resolve())
    os.environ[ENV_CHECKPOINT_LOG] = str(log.resolve())


def register(app: typer.Typer) -> None:
    reg = typer.Typer(
        name="registry",
        help="Registry of approved model versions: submit, approve, revoke, advise, audit.",
        no_args_is_help=True,
    )
    token_app = typer.Typer(name="token", help="API tokens (shown once, stored hashed).")
    key_app = typer.Typer(name="key", help="Public keys trusted for decisions and OMS bundles.")
    policy_app = typer.Typer(name="policy", help="Approval policies (global or per model).")
    audit_app = typer.Typer(name="audit", help="The hash-chained audit log.")
    allowlist_app = typer.Typer(
        name="allowlist", help="Signed offline allowlists (from `registry export`)."
    )
    for sub in (token_app, key_app, policy_app, audit_app, allowlist_app):
        sub.info.no_args_is_help = True
        reg.add_typer(sub)
    app.add_typer(reg)

    @reg.command("init")
    def init_cmd(
        database: str | None = DATABASE_OPTION, fmt: OutputFormat = _common.FORMAT_OPTION
    ) -> None:
        """Create or upgrade the database schema (alembic upgrade head)."""

        def run() -> int:
            from airlock.registry import migrate
            from airlock.registry.db import database_url, make_engine, shown_url

            url = database_url(database)
            engine = make_engine(url)
            try:
                revision = migrate.upgrade(engine)
                shown = shown_url(engine.url)
            finally:
                engine.dispose()
            _emit(
                fmt,
                {"database": shown, "revision": revision},
                f"registry database {shown} at schema {revision}",
            )
            return EXIT_OK

        _run(run)

    @reg.command("serve")
    def serve_cmd(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8470, "--port", help="TCP port."),
        workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes."),
        max_body: int = typer.Option(
            64 * 1024 * 1024, "--max-body", min=1024, help="Largest request body in bytes."
        ),
        body_timeout: float = typer.Option(
            120.0,
            "--body-timeout",
            min=0.1,
            max=86400.0,
            help="Seconds a client may take to send a request body (then 408, closed).",
        ),
        database: str | None = DATABASE_OPTION,
        scan_policy: Path | None = typer.Option(
            None,
            "--scan-policy",
            help="Serve this scan policy file at /v1/scan-policy (for scan/check --policy URL).",
        ),
        checkpoint_key: Path | None = typer.Option(
            None,
            "--checkpoint-key",
            envvar="AIRLOCK_CHECKPOINT_KEY",
            help="Private key that signs audit checkpoints at /v1/audit/checkpoint.",
        ),
        checkpoint_log: Path | None = typer.Option(
            None,
            "--checkpoint-log",
            envvar="AIRLOCK_CHECKPOINT_LOG",
            help="Append-only file of signed checkpoints, checked before serving (default with "
            "--checkpoint-key: DATABASE.checkpoints beside a SQLite file).",
        ),
    ) -> None:
        """Run the HTTP API (OpenAPI at /openapi.json)."""

        def run() -> int:
            import os
            import sys

            from airlock.errors import DependencyError, UsageError

            try:
                import uvicorn
            except ImportError:
                raise DependencyError(
                    "uvicorn is not installed: pip install 'model-airlock[registry]'"
                ) from None
            from airlock.registry.api import (
                ENV_MAX_BODY,
                ENV_SCAN_POLICY,
                ENV_SERVE_PARENT,
                read_scan_policy,
            )
            from airlock.registry.db import database_url, make_engine, shown_url
            from airlock.registry.migrate import require_current

            url = database_url(database)
            engine = make_engine(url)
            try:
                require_current(engine)
            finally:
                engine.dispose()
            os.environ["AIRLOCK_DATABASE_URL"] = url
            os.environ[ENV_MAX_BODY] = str(max_body)
            os.environ[ENV_SERVE_PARENT] = str(os.getpid())  # workers end with this process
            # The review console's session key: one per server (shared by its workers).
            if not os.environ.get("AIRLOCK_CONSOLE_SECRET"):
                import secrets

                os.environ["AIRLOCK_CONSOLE_SECRET"] = secrets.token_urlsafe(32)
            if scan_policy is not None:
                read_scan_policy(str(scan_policy))  # fail now, not in every worker
                os.environ[ENV_SCAN_POLICY] = str(scan_policy.resolve())
            if checkpoint_key is not None:
                _checkpoint_setup(url, checkpoint_key, checkpoint_log)
            elif checkpoint_log is not None:
                raise UsageError("--checkpoint-log needs --checkpoint-key (its signer)")
            _common.require_listen(host, port)
            shown = shown_url(engine.url)
            addr = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
            sys.stderr.write(f"airlock registry serve: listening on {addr} | database {shown}"
                             f" | workers {workers} | max body {max_body} bytes"
                             f" | docs {addr}/docs, console {addr}/ui/, health /healthz,"
                             " ready /readyz\n")  # fmt: skip
            sys.stderr.flush()
            uvicorn.run(
                "airlock.registry.api:app_from_env",
                http=_common.uvicorn_http(body_timeout),
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
                access_log=False,
            )
            return EXIT_OK

        _run(run)

    @_registry_command(token_app, "create")
    def token_create(
        target: Target,
        name: str = typer.Argument(..., help="A name for the token (shown in the audit log)."),
        scope: list[str] = typer.Option(
            ["read"], "--scope", help="read, publish, approve, admin; repeatable."
        ),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Create an API token; it is printed once and only its hash is stored."""
        with target.open() as b:
            out = b.create_token(name, scope, actor=_actor())
        _emit(
            fmt,
            out,
            f"{out.token}\n(token {out.token_id}, scopes {', '.join(out.scopes)}: "
            "store it now, it is not shown again)",
        )
        return EXIT_OK

    @_registry_command(key_app, "add")
    def key_add(
        target: Target,
        identity: str = typer.Argument(..., help="Who owns the key (approver or signer name)."),
        public_key: Path = typer.Argument(..., help="Public key file (PEM or DER)."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Trust a public key as IDENTITY's (decisions and OMS bundles it signs are accepted)."""
        from airlock.provenance.keys import load_public_key, public_key_pem

        pem = public_key_pem(load_public_key(public_key)).decode("ascii")
        with target.open() as b:
            out = b.add_key(identity, pem, actor=_actor())
        _emit(fmt, out, f"key {out.key_id} trusted for {out.identity}")
        return EXIT_OK

    @_registry_command(policy_app, "set")
    def policy_set(
        target: Target,
        policy_file: Path = typer.Argument(..., help="Policy JSON (rules: all_of, any_of, ...)."),
        model: str | None = typer.Option(None, "--model", help="Model name (default: global)."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Set the global policy or one model's policy (both apply)."""
        document = _read_json(policy_file, "policy")
        with target.open() as b:
            out = b.set_policy(model or "*", document, actor=_actor())
        _emit(fmt, out, f"policy for {model or 'all models'} set")
        return EXIT_OK

    @_registry_command(reg, "submit")
    def submit_cmd(
        target: Target,
        path: str = typer.Argument(
            ...,
            help="Model (path, hf://ORG/NAME[@REV], s3://B/P, https:// URL) or, with "
            "--manifest-file, a manifest JSON.",
        ),
        model: str = typer.Option(..., "--model", help="Model name, e.g. org/name."),
        source: str = typer.Option("", "--source", help="Where it came from, e.g. hf:org/name."),
        revision: str = typer.Option("", "--revision", help="Source revision (commit)."),
        base_model: str = typer.Option(
            "", "--base-model", help="Claimed base model (default for an adapter: its config's)."
        ),
        base_digest: str = typer.Option(
            "", "--base-digest", help="Root digest of the base version (required for adapters)."
        ),
        base: str | None = typer.Option(
            None, "--base", help="Base model to hash for --base-digest (path, hf://, s3://...)."
        ),
        adapter_config: Path | None = typer.Option(
            None,
            "--adapter-config",
            help="With --manifest-file, an adapter's adapter_config.json (the registry reads "
            "the base peft loads from it).",
        ),
        license_: str = typer.Option("", "--license", help="Licence identifier."),
        manifest_file: bool = typer.Option(
            False,
            "--manifest-file",
            help="PATH is a manifest JSON from `airlock hash --format json`.",
        ),
        scan_report: Path | None = typer.Option(
            None, "--scan-report", help="Attach a scan report (JSON)."
        ),
        signature: Path | None = typer.Option(
            None, "--signature", help="Attach an OMS signature bundle."
        ),
        attestation: Path | None = typer.Option(
            None, "--attestation", help="Attach a signed check verdict (check --attest)."
        ),
        inventory: bool = typer.Option(
            False,
            "--inventory",
            help="Add the model's inventory (tensor dtypes and shapes, config and chat template "
            "text; read as data) to the attached scan report, for the review console's diff.",
        ),
        location: list[str] = typer.Option(
            [], "--location", help="Storage URI holding this version (admission); repeatable."
        ),
        download: bool = _common.DOWNLOAD_OPTION,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Register a model version (identity: its OMS root digest), state 'submitted'."""
        from airlock.provenance.manifest import parse_manifest_json

        manifest: Manifest
        src_name, src_rev = source, revision
        if manifest_file:
            import json

            doc = _read_json(Path(path), "manifest")
            manifest = parse_manifest_json(json.dumps(doc), path)
        else:
            from airlock.provenance.hashing import HashOptions

            with _common.resolved(path, download=download) as named:
                size = named.total_size()
                with _common.progress(size, f"hashing {named.name.short}") as advance:
                    manifest = named.manifest(HashOptions(), advance)
                if named.remote is not None:  # where it came from, pinned, unless given
                    src_name = src_name or named.remote.label.split("@")[0]
                    src_rev = src_rev or (named.remote.commit or "")
        base_model, base_digest, config_texts = _base_of(
            path, manifest, manifest_file, base_model, base_digest, base, adapter_config
        )
        report = _read_json(scan_report, "scan report") if scan_report else None
        if inventory:
            from airlock.errors import UsageError
            from airlock.registry.ui.inventory import model_inventory

            if report is None or manifest_file or not Path(path).exists():
                raise UsageError("--inventory needs --scan-report and a local model path")
            if isinstance(report, dict) and "inventory" not in report:
                report["inventory"] = model_inventory(path)
        bundle = _read_json(signature, "signature bundle") if signature else None
        attested = _read_json(attestation, "attestation") if attestation else None
        with target.open() as b:
            out = b.submit(
                manifest,
                model=model,
                source=src_name,
                source_revision=src_rev,
                base_model=base_model,
                license=license_,
                base_digest=base_digest,
                adapter_configs=config_texts or None,
                actor=_actor(),
            )
            if report is not None:
                b.attach_scan_report(out.digest, report, actor=_actor())
            if bundle is not None:
                b.attach_signature(out.digest, bundle, actor=_actor())
            if attested is not None:
                b.attach_check_attestation(out.digest, attested, actor=_actor())
            for uri in location:
                b.set_location(uri, out.digest, actor=_actor())
        _emit(fmt, out, f"submitted {model} {out.digest} ({out.state})")
        return EXIT_OK

    def _base_of(
        path: str,
        manifest: Manifest,
        manifest_file: bool,
        base_model: str,
        base_digest: str,
        base: str | None,
        adapter_config: Path | None,
    ) -> tuple[str, str, dict[str, str]]:
        """(base name, base root digest, adapter_config.json texts by manifest path) for a
        submission. Every adapter config (root and subfolders) names the base peft loads:
        --base-model must agree with each, a --base given by hub name must be that repository,
        and an adapter without a base digest is refused here, as the registry would."""
        from airlock.errors import UsageError
        from airlock.formats import peft

        if base is not None and base_digest:
            raise UsageError("give --base or --base-digest, not both")
        local = Path(path)
        paths: dict[str, Path] = {}
        if not manifest_file and local.is_dir():
            paths = {f.path: local / f.path for f in manifest.files if peft.is_config_path(f.path)}
            if adapter_config is not None:
                raise UsageError("--adapter-config goes with --manifest-file")
        elif adapter_config is not None:
            if not manifest_file:
                raise UsageError("--adapter-config goes with --manifest-file")
            paths = {peft.CONFIG: adapter_config}
        if not paths:
            return base_model, _hashed(base) if base is not None else base_digest, {}
        texts: dict[str, str] = {}
        claimed = ""
        for where, config_path in paths.items():
            raw = peft.read_bounded(config_path, peft.MAX_CONFIG_BYTES)
            fields = peft.config_base_fields(raw) if raw is not None else None
            if raw is None or fields is None:
                raise UsageError(f"{config_path}: not a readable adapter_config.json")
            cfg_base = fields[0]
            if base_model and not peft.same_base(base_model, cfg_base):
                raise UsageError(f"--base-model {base_model!r}: {where} loads {cfg_base!r}")
            base_id = peft.source_repo_id(base) if base is not None else None
            if base_id is not None and base_id != peft.repo_id(cfg_base):
                raise UsageError(f"--base {base!r}: {where} loads {cfg_base!r}, another base")
            texts[where] = raw.decode("utf-8", "replace")
            claimed = claimed or cfg_base
        if base is not None:
            base_digest = _hashed(base)
        if not base_digest:
            raise UsageError(
                f"{path} is an adapter: name the base version it is applied to with "
                "--base-digest DIGEST (or --base PATH to hash it)"
            )
        return base_model or claimed, base_digest, texts

    def _hashed(base: str) -> str:
        from airlock.provenance.hashing import hash_model

        return hash_model(base).root_digest

    def _decision_command(decision: str, help_text: str) -> None:
        @_registry_command(reg, decision, help=help_text)
        def decision_cmd(
            target: Target,
            digest: str = typer.Argument(..., help="The version's root digest."),
            key: Path = typer.Option(
                ...,
                "--key",
                help="Your private key (PEM; passphrase from AIRLOCK_KEY_PASSPHRASE or prompt).",
            ),
            reason: str = typer.Option("", "--reason", help="Why (kept in the signed statement)."),
            sign_only: bool = typer.Option(
                False,
                "--sign-only",
                help="Print the signed statement (DSSE JSON) instead of submitting it: paste it "
                "into the review console, or POST it to /v1/decisions later.",
            ),
            fmt: OutputFormat = _common.FORMAT_OPTION,
        ) -> int:
            from airlock.cli.signing import load_signing_key
            from airlock.registry.statements import sign_decision

            private_key = load_signing_key(key)
            with target.open() as b:
                version = b.get_version(digest)
                envelope = sign_decision(
                    decision,
                    digest,
                    version.model,
                    private_key,
                    record=version.record,
                    reason=reason,
                )
                if sign_only:
                    import json
                    import sys

                    sys.stdout.write(json.dumps(envelope) + "\n")
                    return EXIT_OK
                out = b.decide(envelope, actor=_actor())
            pending = out.pending
            text = f"{decision} by {out.approver}: {digest} is now {out.state}"
            if pending:
                text += "\n  waiting for: " + "; ".join(pending)
            _emit(fmt, out, text)
            return EXIT_OK

    _decision_command(
        "approve",
        "Sign and record your approval of a version (policy decides when it is approved).",
    )
    _decision_command("reject", "Sign and record a rejection of a submitted version.")
    _decision_command("revoke", "Sign and record the revocation of an approved version.")

    @_registry_command(reg, "advise")
    def advise_cmd(
        target: Target,
        advisory_id: str = typer.Argument(..., help="Advisory id, e.g. AIR-2026-001."),
        version: list[str] = typer.Option(
            ..., "--version", help="Affected root digest; repeatable."
        ),
        severity: _common.FailOn = typer.Option(
            ..., "--severity", case_sensitive=False, help="How bad it is."
        ),
        description: str = typer.Option(..., "--description", help="What is wrong."),
        mitigation: Path | None = typer.Option(
            None, "--mitigation", help="Mitigation JSON (e.g. guard patterns to block)."
        ),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Publish an advisory against versions; the gate denies them from then on."""
        from airlock.errors import FormatError

        mit = _read_json(mitigation, "mitigation") if mitigation else {}
        if not isinstance(mit, dict):
            raise FormatError(f"{mitigation}: mitigation must be a JSON object")
        with target.open() as b:
            out = b.advise(
                advisory_id,
                severity=str(severity),
                description=description,
                versions=version,
                mitigation=mit,
                actor=_actor(),
            )
        _emit(
            fmt,
            out,
            f"advisory {out.id} ({out.severity}) on {len(out.versions)} version(s)",
        )
        return EXIT_OK

    @_registry_command(reg, "deploy")
    def deploy_cmd(
        target: Target,
        name: str = typer.Argument(..., help="Deployment name."),
        digest: str = typer.Argument(..., help="Root digest it runs."),
        environment: str = typer.Option("prod", "--env", help="Environment."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Record that a deployment runs a version (refreshes its last-seen time)."""
        with target.open() as b:
            out = b.deploy(name, environment, digest, actor=_actor())
        _emit(fmt, out, f"{environment}/{name} runs {digest} ({out.state})")
        return EXIT_OK

    @_registry_command(reg, "affected")
    def affected_cmd(
        target: Target,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Deployments running revoked or advised versions (exit 1 if there are any)."""
        with target.open() as b:
            rows = b.affected()
        lines = []
        for r in rows:
            why = [f"{a.id} ({a.severity})" for a in r.advisories]
            if r.state == "revoked":
                why.insert(0, "revoked")
            lines.append(f"{r.environment}/{r.name}  {r.digest}  {', '.join(why)}")
        _emit(
            fmt,
            rows,
            "\n".join(lines) if lines else "no deployment runs a revoked or advised version",
        )
        return EXIT_FINDINGS if rows else EXIT_OK

    @_registry_command(audit_app, "verify")
    def audit_verify(
        target: Target,
        checkpoint: list[Path] = typer.Option(
            [],
            "--checkpoint",
            help="A signed checkpoint (or checkpoint log) the log must still hold; repeatable.",
        ),
        key: Path | None = typer.Option(
            None, "--key", help="Public key of the checkpoints' signer (with --checkpoint)."
        ),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Check the audit chain: exit 1 if an event was edited, deleted, inserted or reordered,
        or the log no longer holds a checkpointed head (a tail rewritten with its hashes
        recomputed: only a checkpoint kept elsewhere shows that)."""
        from airlock.errors import UsageError

        if checkpoint and key is None:
            raise UsageError("--checkpoint needs --key (the checkpoint signer's public key)")
        if key is not None and not checkpoint:
            raise UsageError("--key goes with --checkpoint")
        trusted = []
        if checkpoint:
            from airlock.provenance.keys import load_public_key
            from airlock.registry.checkpoint import read_checkpoints

            public = load_public_key(key)  # type: ignore[arg-type]
            for path in checkpoint:
                trusted += read_checkpoints(path, public)
        with target.open() as b:
            result = b.audit_verify()
            if trusted:
                from dataclasses import replace

                from airlock.registry.checkpoint import backend_problems

                extra = backend_problems(b, trusted, result.head_seq)
                if extra:
                    result = replace(result, ok=False, problems=(*result.problems, *extra))
        checked = f", {len(trusted)} checkpoint(s) held" if trusted else ""
        text = (
            f"audit chain intact: {result.events} events, head {result.head_hash}{checked}"
            if result.ok
            else "audit chain BROKEN:\n" + "\n".join(f"  {p}" for p in result.problems)
        )
        _emit(fmt, result, text)
        return EXIT_OK if result.ok else EXIT_FINDINGS

    @_registry_command(audit_app, "checkpoint")
    def audit_checkpoint(
        target: Target,
        key: Path = typer.Option(..., "--key", help="Private key that signs the checkpoint."),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write the checkpoint here (default stdout)."
        ),
        append: Path | None = typer.Option(
            None, "--append", help="Also append it as one line to this checkpoint log."
        ),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Sign the audit head as a checkpoint (after a full `audit verify`): keep it where the
        database's writers cannot, and give it to `audit verify --checkpoint` later. Exit 1,
        nothing signed, when the log does not verify. Without -o the signed envelope is
        written to stdout."""
        import json
        import sys

        from airlock.cli.signing import load_signing_key
        from airlock.errors import InputError
        from airlock.registry.checkpoint import append_checkpoint, sign_checkpoint

        private_key = load_signing_key(key)
        with target.open() as b:
            result = b.audit_verify()
        if not result.ok:
            _common.console().print(
                "audit chain BROKEN, no checkpoint signed:\n"
                + "\n".join(f"  {p}" for p in result.problems),
                markup=False,
                highlight=False,
            )
            return EXIT_FINDINGS
        envelope = sign_checkpoint(result.head_seq, result.head_hash, private_key)
        text = json.dumps(envelope, indent=2) + "\n"
        try:
            if append is not None:
                append_checkpoint(append, envelope)
            if output is not None:
                output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{exc.filename}: cannot write ({exc.strerror})") from None
        if output is None:  # the envelope itself is the answer (JSON either way)
            sys.stdout.write(text)
            return EXIT_OK
        _emit(
            fmt,
            {"seq": result.head_seq, "hash": result.head_hash, "output": str(output)},
            f"checkpoint of event {result.head_seq} ({result.head_hash}) -> {output}",
        )
        return EXIT_OK

    @_registry_command(reg, "export")
    def export_cmd(
        target: Target,
        export_format: ExportFormat = typer.Option(
            ExportFormat.allowlist, "--format", "-f", help="allowlist (signed) or cyclonedx."
        ),
        key: Path | None = typer.Option(
            None, "--key", help="Private key that signs the allowlist."
        ),
        model: str | None = typer.Option(None, "--model", help="CycloneDX: only this model."),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write here (default stdout)."
        ),
    ) -> int:
        """Signed allowlist of what the gate allows (offline checks), or a CycloneDX 1.6 ML-BOM."""
        import json
        import sys

        from airlock.errors import InputError, UsageError

        with target.open() as b:
            if export_format is ExportFormat.cyclonedx:
                from airlock.registry.bom import build_bom

                text = build_bom(b.export_records(model)) + "\n"
            else:
                if key is None:
                    raise UsageError("--format allowlist needs --key (the signing key)")
                from airlock.cli.signing import load_signing_key
                from airlock.registry.allowlist import sign_allowlist

                private_key = load_signing_key(key)
                text = json.dumps(sign_allowlist(b.allowlist(), private_key), indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise InputError(f"{output}: cannot write ({exc.strerror})") from None
        return EXIT_OK

    @_registry_command(reg, "show")
    def show_cmd(
        target: Target,
        digest: str = typer.Argument(..., help="Root digest."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """A version's state, attestations, decisions, advisories and deployments."""
        with target.open() as b:
            v = b.get_version(digest)
        lines = [f"{v.model} {v.digest}  {v.state}  source {v.source or '-'}"]
        lines.append(f"  state record {v.record} (what signed decisions bind to)")
        lines += [
            f"  {d.decision:<8} by {d.approver}  {d.created_at}  {d.reason}" for d in v.decisions
        ]
        lines += [
            f"  attestation {a.kind:<9} {a.signer or '-'}  document {a.digest[:16]}  {a.created_at}"
            for a in v.attestations
        ]
        lines += [f"  advisory {a}" for a in v.advisories]
        lines += [f"  deployed {d.environment}/{d.name}" for d in v.deployments]
        _emit(fmt, v, "\n".join(lines))
        return EXIT_OK

    @_registry_command(reg, "list")
    def list_cmd(
        target: Target,
        model: str | None = typer.Option(None, "--model", help="Only this model's versions."),
        state: str | None = typer.Option(
            None,
            "--state",
            help="Only versions in this state: submitted, approved, rejected, revoked.",
        ),
        limit: int = typer.Option(100, "--limit", min=1, max=1000, help="At most this many."),
        offset: int = typer.Option(0, "--offset", min=0, help="Skip this many first."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Registered versions, oldest first: digest, model, state, files."""
        with target.open() as b:
            rows = b.list_versions(model=model, state=state, limit=limit, offset=offset)
        lines = [f"{v.digest}  {v.state:<9}  {v.model}  {v.file_count} file(s)" for v in rows]
        if len(rows) == limit:
            lines.append(f"(first {limit} shown: --offset {offset + limit} for more)")
        _emit(fmt, rows, "\n".join(lines) if lines else "no registered versions")
        return EXIT_OK

    @_registry_command(token_app, "list")
    def token_list(
        target: Target,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """API tokens: id, name, scopes, whether revoked (secrets are never shown again)."""
        with target.open() as b:
            rows = b.list_tokens()
        lines = [
            f"{t.token_id}  {t.name}  {','.join(t.scopes)}" + ("  REVOKED" if t.revoked else "")
            for t in rows
        ]
        _emit(fmt, rows, "\n".join(lines) if lines else "no tokens")
        return EXIT_OK

    @_registry_command(token_app, "revoke")
    def token_revoke(
        target: Target,
        token_id: str = typer.Argument(..., help="The token's id (from `token list`)."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Revoke an API token: requests that carry it are refused from now on."""
        with target.open() as b:
            out = b.revoke_token(token_id, actor=_actor())
        _emit(fmt, out, f"token {out.token_id} ({out.name}) revoked")
        return EXIT_OK

    @_registry_command(key_app, "list")
    def key_list(
        target: Target,
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Trusted public keys: key id (OMS key hint), identity, whether revoked."""
        with target.open() as b:
            rows = b.list_keys()
        lines = [f"{k.key_id}  {k.identity}" + ("  REVOKED" if k.revoked else "") for k in rows]
        _emit(fmt, rows, "\n".join(lines) if lines else "no trusted keys")
        return EXIT_OK

    @_registry_command(key_app, "revoke")
    def key_revoke(
        target: Target,
        key_id: str = typer.Argument(..., help="The key id (from `key list`)."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Stop trusting a key: decisions and OMS bundles it signs are refused from now on."""
        with target.open() as b:
            out = b.revoke_key(key_id, actor=_actor())
        _emit(fmt, out, f"key {out.key_id} ({out.identity}) revoked")
        return EXIT_OK

    @_registry_command(policy_app, "show")
    def policy_show(
        target: Target,
        model: str | None = typer.Option(
            None, "--model", help="Show what applies to this model (global + its own)."
        ),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """The stored policies (all, or those that apply to --model) and the one in effect."""
        import json

        from airlock.registry.policy import DEFAULT_POLICY

        with target.open() as b:
            rows = b.list_policies()
        if model is not None:
            rows = [p for p in rows if p.scope in ("*", model)]
        data: dict[str, Any] = {"model": model, "policies": [p.to_json() for p in rows]}
        lines = [
            f"{'global' if p.scope == '*' else p.scope}: "
            f"{json.dumps(p.policy, separators=(',', ':'))}"
            for p in rows
        ]
        if model is not None:
            docs = [p.policy for p in rows]
            effective = (
                DEFAULT_POLICY.to_json()
                if not docs
                else docs[0]
                if len(docs) == 1
                else {"all_of": docs}
            )
            data["effective"] = effective
            if not docs:
                lines.append("no policy set: the default applies")
            lines.append(f"in effect for {model}: {json.dumps(effective, separators=(',', ':'))}")
        elif not rows:
            default = json.dumps(DEFAULT_POLICY.to_json(), separators=(",", ":"))
            lines.append(f"no policy set: every model needs the default {default}")
        _emit(fmt, data, "\n".join(lines))
        return EXIT_OK

    @_registry_command(audit_app, "log")
    def audit_log(
        target: Target,
        after: int = typer.Option(0, "--after", min=0, help="Only events after this number."),
        limit: int = typer.Option(100, "--limit", min=1, max=1000, help="At most this many."),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> int:
        """Audit events in order: number, time, actor, action, subject."""
        with target.open() as b:
            rows = b.audit_events(after=after, limit=limit)
        lines = [f"{e.seq:>6}  {e.ts}  {e.actor}  {e.action}  {e.subject}" for e in rows]
        if len(rows) == limit:
            lines.append(f"(first {limit} shown: --after {rows[-1].seq} for more)")
        _emit(fmt, rows, "\n".join(lines) if lines else "no audit events")
        return EXIT_OK

    @allowlist_app.command("check")
    def allowlist_check(
        allowlist_file: Path = typer.Argument(..., help="Allowlist from `registry export`."),
        target: str = typer.Argument(
            ..., metavar="DIGEST|PATH", help="A root digest, or a model file or folder to hash."
        ),
        key: Path = typer.Option(..., "--key", help="Public key of the allowlist's signer."),
        max_age: float | None = typer.Option(
            None,
            "--max-age-hours",
            help="Deny unless the allowlist was signed within this many hours (an older one "
            "still lists versions revoked since).",
        ),
        fmt: OutputFormat = _common.FORMAT_OPTION,
    ) -> None:
        """May this version run, by a signed allowlist alone (no server, no database)?

        Exit 0 when it is on the allowlist, 1 when it is not, the signature fails or (with
        --max-age-hours) the allowlist is older than that.
        """

        def run() -> int:
            import re

            from airlock.errors import UsageError
            from airlock.registry.allowlist import load_allowlist

            if max_age is not None and not 0 <= max_age <= 1_000_000:  # also NaN
                raise UsageError("--max-age-hours must be between 0 and 1,000,000")
            allow = load_allowlist(allowlist_file, key)
            digest = target
            path = Path(target)
            if not re.fullmatch(r"[0-9a-f]{64}", target) or path.exists():
                from airlock.provenance.hashing import hash_model, total_size

                if not path.exists():
                    raise UsageError(
                        f"{target}: neither a 64-hex root digest nor an existing file or folder"
                    )
                with _common.progress(total_size(path), f"hashing {path.name}") as advance:
                    digest = hash_model(path, progress=advance).root_digest
            import datetime as dt

            decision = allow.check(
                digest, max_age=dt.timedelta(hours=max_age) if max_age is not None else None
            )
            data = {
                "allowlist": str(allowlist_file),
                "generated_at": allow.generated_at,
                **decision.to_json(),
            }
            if decision.allow:
                text = (
                    f"allowed: {digest} ({decision.model}) is on the allowlist of "
                    f"{allow.generated_at}"
                )
            elif decision.model is not None:
                text = f"denied: {digest}: {'; '.join(decision.reasons)}"
            else:
                text = f"denied: {digest} is not on the allowlist of {allow.generated_at}"
            _emit(fmt, data, text)
            return EXIT_OK if decision.allow else EXIT_FINDINGS

        _run(run)
