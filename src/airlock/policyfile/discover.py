"""Finding and reading the policy file (the I/O edge of the package).

Search order, in the working directory and then each parent up to the filesystem root:
``airlock.toml`` (the whole file is the policy), then ``pyproject.toml`` with a
``[tool.airlock]`` table. The first hit wins; none found means the built-in defaults.
``--policy`` names a file, or an ``http(s)://`` URL of a registry's ``/v1/policy``.
"""

from __future__ import annotations

import os
from pathlib import Path

from airlock.policyfile.model import BUILTIN, MAX_BYTES, PolicyFile, PolicyFileError, parse_policy

NAMES = ("airlock.toml", "pyproject.toml")


def find_policy(start: Path | None = None) -> Path | None:
    """The policy file that applies in ``start`` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        for name in NAMES:
            p = d / name
            if not p.is_file():
                continue
            if name == "airlock.toml":
                return p
            try:
                if b"[tool.airlock" in p.read_bytes()[:MAX_BYTES]:
                    return p
            except OSError:
                continue
    return None


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PolicyFileError(f"{path}: cannot read policy ({exc.strerror})") from None
    return data


def _fetch(url: str, token: str | None) -> bytes:
    import httpx

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with httpx.stream("GET", url, headers=headers, timeout=30.0) as resp:
            if resp.status_code != 200:
                hint = ""
                if resp.status_code in (401, 403):  # the usual first-run mistake
                    hint = (
                        ": set AIRLOCK_REGISTRY_TOKEN to a token with the read scope"
                        if not token
                        else ": the token in AIRLOCK_REGISTRY_TOKEN was refused"
                    )
                raise PolicyFileError(f"{url}: registry answered HTTP {resp.status_code}{hint}")
            data = bytearray()
            for chunk in resp.iter_bytes():
                data += chunk
                if len(data) > MAX_BYTES:
                    raise PolicyFileError(f"{url}: policy larger than {MAX_BYTES} bytes")
            return bytes(data)
    except httpx.HTTPError as exc:
        raise PolicyFileError(f"{url}: cannot fetch policy ({type(exc).__name__})") from None


def load_policy(
    spec: str | os.PathLike[str] | None = None,
    *,
    start: Path | None = None,
    token: str | None = None,
) -> PolicyFile:
    """The policy in force: ``spec`` (a path or URL) when given, else the discovered file,
    else the built-in defaults. Errors are :class:`PolicyFileError` (exit 2)."""
    if spec is not None and str(spec).startswith(("http://", "https://")):
        url = str(spec)
        tok = token or os.environ.get("AIRLOCK_REGISTRY_TOKEN")
        policy = parse_policy(_fetch(url, tok), url)
        assert policy is not None
        return policy
    path = Path(spec) if spec is not None else find_policy(start)
    if path is None:
        return BUILTIN
    if spec is not None and not path.is_file():
        raise PolicyFileError(f"{path}: no such policy file")
    data = _read(path)
    pyproject = path.name == "pyproject.toml"
    policy = parse_policy(data, str(path), pyproject=pyproject)
    if policy is None:
        if spec is not None:
            raise PolicyFileError(f"{path}: no [tool.airlock] table")
        return BUILTIN
    return policy._replace(base_dir=str(path.resolve().parent))
