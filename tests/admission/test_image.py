"""The Dockerfile of the image the admission manifests run, checked offline (no Docker engine
here): it copies only what exists and the build context admits, installs every distribution the
webhook imports, and runs as the user the manifests require."""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

from airlock.policy.admission import AdmissionSpec, manifests

ROOT = Path(__file__).resolve().parents[2]


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text()
    logical = re.sub(r"\\\n", " ", text)
    out = []
    for line in logical.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _ignored(path: str) -> bool:
    """.dockerignore semantics for the patterns used: later lines win, ``!`` re-includes."""
    ignored = False
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        pat = raw.strip()
        if not pat or pat.startswith("#"):
            continue
        negate = pat.startswith("!")
        pat = pat.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, pat) or path.startswith(pat + "/"):
            ignored = not negate
    return ignored


def test_copies_exist_and_are_in_the_build_context() -> None:
    copies = [rest for word, rest in _instructions() if word == "COPY" and "--from" not in rest]
    assert copies
    for rest in copies:
        *sources, _dest = rest.split()
        for src in sources:
            assert (ROOT / src).exists(), src
            assert not _ignored(src), f"{src} is excluded by .dockerignore"
    assert _ignored(".venv") and _ignored("tests/admission") and _ignored("bench")
    assert not _ignored("src/airlock/admission/server.py")


def _third_party_imports() -> set[str]:
    files = [*(ROOT / "src/airlock/admission").glob("*.py"), ROOT / "src/airlock/cli/admission.py"]
    names: set[str] = set()
    for f in files:
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "airlock"}


def _requirement_names(reqs: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in reqs}


def test_the_image_installs_what_the_webhook_imports() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runs = " ".join(rest for word, rest in _instructions() if word == "RUN")
    extras = set(re.findall(r"model-airlock\[([a-z,-]+)\]|\"\.\[([a-z,-]+)\]\"", runs)[0]) - {""}
    assert extras == {"admission"}
    installed = _requirement_names(project["dependencies"])
    for extra in extras:
        installed |= _requirement_names(project["optional-dependencies"][extra])
    dists = md.packages_distributions()
    imports = _third_party_imports()
    assert {"httptools", "uvloop", "httpx"} <= imports
    for name in imports:
        owners = {d.lower().replace("_", "-") for d in dists.get(name, [name])}
        assert owners & installed, f"{name} ({owners}) is not installed by the image"


def test_user_and_entrypoint_match_the_manifests() -> None:
    ins = _instructions()
    user = [rest for word, rest in ins if word == "USER"][-1]
    assert user == "65532:65532"
    assert [rest for word, rest in ins if word == "ENTRYPOINT"] == ['["airlock"]']
    assert "airlock" in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    docs, _ = manifests(AdmissionSpec(registry="http://r:8470"))
    pod = next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsUser"] == int(user.split(":")[0])
    assert pod["containers"][0]["command"] == ["airlock"]
    from airlock.admission.mutate import verify_containers
    from airlock.admission.review import parse_review

    from .k8s import review, workload

    notes = {"airlock.dev/models": f"org/m@sha256:{'ab' * 32}",
             "airlock.dev/model-mounts": "org/m=model/m"}  # fmt: skip
    import json

    w = parse_review(json.dumps(review(workload("Pod", notes))).encode())
    init = verify_containers(w, "img")[0]
    assert init["securityContext"]["runAsUser"] == int(user.split(":")[0])
    assert init["command"][0] == "airlock"
