"""The docs and ``--help`` describe the commands that exist (issue 20).

- every ``airlock ...`` command named in README.md and docs/*.md exists, and every option written
  with it appears in that command's ``--help``;
- every command's ``--help`` ends with examples, and each example parses with the real command;
- the README's ``--format text|json`` sentence is true: every command has it except the ones
  the README names as exceptions.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from airlock.cli import register
from airlock.cli.examples import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ROOT_OPTIONS = {"--help", "-h", "--debug", "--version", "--install-completion", "--show-completion"}
_SPAN = re.compile(r"`(airlock [^`]+)`")
_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def _tree() -> Any:
    return typer.main.get_command(register())


def _leaves(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    subs = getattr(cmd, "commands", None)
    if subs is None:
        yield path
        return
    for name, sub in subs.items():
        yield from _leaves(sub, (*path, name))


def _mentions(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of each ``airlock ...`` in backticks or on a line of a fenced block (with
    its indented continuation lines)."""
    fence = False
    current: list[Any] | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            fence = not fence
            if current:
                yield current[0], current[1]
            current = None
            continue
        if fence:
            stripped = line.strip()
            if current and line[:1].isspace() and stripped:
                current[1] += " " + stripped.split("  #")[0]
                continue
            if current:
                yield current[0], current[1]
                current = None
            if stripped.startswith("airlock "):
                current = [n, stripped.split("  #")[0]]
            continue
        for m in _SPAN.finditer(line):
            yield n, m.group(1)
    if current:
        yield current[0], current[1]


def _resolve(cmd: Any, words: list[str]) -> tuple[Any, list[str], int]:
    path: list[str] = []
    i = 0
    while i < len(words):
        subs = getattr(cmd, "commands", None)
        if subs is None or words[i] not in subs:
            break
        cmd = subs[words[i]]
        path.append(words[i])
        i += 1
    return cmd, path, i


def _options(cmd: Any) -> set[str]:
    names = set(ROOT_OPTIONS)
    for p in cmd.params:
        names.update(getattr(p, "opts", []))
        names.update(getattr(p, "secondary_opts", []))
    return names


def _problems(where: str, text: str, tree: Any) -> list[str]:
    words = re.findall(r"[^\s\[\]()]+|\|", text.replace("\\|", "|"))[1:]
    if "--" in words:  # what follows belongs to the sandboxed command
        words = words[: words.index("--")]
    cmd, path, i = _resolve(tree, words)
    rest = words[i:]
    shown = " ".join(["airlock", *path])
    if path and rest[:1] == ["|"]:
        # "airlock registry init | serve | token create": siblings under the same group
        parent = path[:-1]
        segments = " ".join(words[len(parent) :]).split("|")
        texts = [" ".join(["airlock", *parent, seg.strip()]) for seg in segments]
        return [p for t in texts for p in _problems(where, t, tree)]
    if hasattr(cmd, "commands"):
        # a group: "airlock registry init | serve | token create" names several subcommands
        out = []
        for alt in " ".join(rest).split("|"):
            w = alt.split()
            if not w or w[0].startswith("-") or w[0] in ("...", "…"):
                continue
            _sub, sub_path, _j = _resolve(cmd, w)
            if not sub_path:
                out.append(f"{where}: `{text}`: `{shown}` has no subcommand {w[0]!r} "
                           f"(it has: {', '.join(sorted(cmd.commands))})")  # type: ignore[attr-defined]  # fmt: skip
        return out
    known = _options(cmd)
    missing = sorted({o for w in rest for o in _OPTION.findall(w) if o not in known})
    return [
        f"{where}: `{text}`: `{shown} --help` has no option {o} "
        f"(it has: {', '.join(sorted(known - ROOT_OPTIONS))})"
        for o in missing
    ]


def test_every_documented_command_and_option_exists() -> None:
    tree = _tree()
    problems: list[str] = []
    count = 0
    for doc in DOCS:
        for line, text in _mentions(doc):
            count += 1
            problems += _problems(f"{doc.relative_to(ROOT)}:{line}", text, tree)
    assert count > 50, "the docs name fewer commands than expected: is the parser broken?"
    assert not problems, "docs name commands or options that do not exist:\n" + "\n".join(
        problems
    )


def test_the_docs_checker_catches_mistakes() -> None:
    tree = _tree()
    assert _problems("x", "airlock scan PATH --bogus", tree)
    assert _problems("x", "airlock registry frobnicate", tree)
    assert _problems("x", "airlock registry init \\| serve \\| nope", tree)
    assert not _problems("x", "airlock registry init \\| serve \\| token create", tree)
    assert not _problems("x", "airlock sandbox run --ro X -- cmd --whatever", tree)
    assert not _problems("x", "airlock hash PATH [--format text\\|json\\|sha256sum]", tree)


def test_every_command_has_examples_that_parse() -> None:
    tree = _tree()
    leaves = {" ".join(p) for p in _leaves(tree)}
    assert leaves - set(EXAMPLES) == set(), (
        "commands without examples: add them to src/airlock/cli/examples.py"
    )
    assert set(EXAMPLES) - leaves == set(), "examples for commands that do not exist"
    for words, lines in EXAMPLES.items():
        for line in lines:
            argv = shlex.split(line.split(" > ")[0])
            assert argv[0] == "airlock"
            cmd, path, i = _resolve(tree, argv[1:])
            assert " ".join(path) == words, f"{line!r} is not an example of {words!r}"
            try:
                cmd.make_context(" ".join(["airlock", *path]), argv[1 + i :])
            except Exception as exc:  # typer's own click: its UsageError is not click's
                pytest.fail(f"example {line!r} does not parse: {exc}")
    out = CliRunner().invoke(register(), ["registry", "list", "--help"])
    assert "Examples:\n    airlock registry list\n" in out.output


# Commands whose output is itself a document or a stream, named as such in README.md.
NO_TEXT_JSON = {
    "schema report": "JSON Schema",
    "registry export": "allowlist|cyclonedx",
    "policy k8s": "YAML",
    "sandbox run": "the command's own output",
    "registry serve": "servers",
    "guard serve": "servers",
    "admission serve": "servers",
    "fleet worker": "servers",
    "fleet metrics": "Prometheus",
}


def test_format_text_json_sentence_is_true() -> None:
    tree = _tree()
    for path in _leaves(tree):
        words = " ".join(path)
        cmd, _p, _i = _resolve(tree, list(path))
        fmt = [p for p in cmd.params if "--format" in getattr(p, "opts", [])]
        choices = set(getattr(fmt[0].type, "choices", ())) if fmt else set()
        if words in NO_TEXT_JSON:
            assert not {"text", "json"} <= choices, f"{words} has --format text|json now"
            continue
        assert {"text", "json"} <= choices, f"`airlock {words}` lacks --format text|json"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = " ".join(readme[readme.index("takes `--format text|json`") :][:900].split())
    for words, what in NO_TEXT_JSON.items():
        assert f"`{words}`" in sentence, f"README's --format sentence must name `{words}`"
        assert what in sentence
