"""Config strings that Hugging Face loaders open as files or load as other models.

transformers treats many config values as paths: a tokenizer's ``vocab``/``merges``/``*_file``
(TokenizersBackend reads a string ``vocab``), MyT5's ``byte_maps.json`` maps given as strings,
OneFormer's ``repo_path``/``class_info_file``, a processor's
``audio_tokenizer.audio_tokenizer_name_or_path`` (a full ``from_pretrained`` of that folder or
repository). A value that is absolute, climbs with ``..``, starts with ``~`` or is a URL reads a
file outside the model (relative values are often resolved against the working directory, not
the model); a ``*_name_or_path``/``repo_path`` value loads a model or file the gate never saw.
``name_or_path``/``_name_or_path``/``special_tokens_map_file`` are skipped: transformers
overwrites the first two with the caller's path and never opens the third from the config (read in
transformers 5.25 ``PretrainedConfig.from_dict``, ``configuration_auto``, ``_from_pretrained``).
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import PurePosixPath
from typing import Any

from airlock.provenance.walk import default_ignored
from airlock.report import Finding, Severity
from airlock.scan.format_rules import Rule, short

CONFIG_PATH = Rule(
    "AIR-CFG-017",
    Severity.HIGH,
    "Config names a file or model outside the model folder",
    "Loaders open config values such as vocab/merges/*_file/*_path as files and load"
    " *_name_or_path/repo_path with from_pretrained; an absolute, '..', '~' or URL value, or"
    " another repository, makes loading read or run something the gate never judged.",
    "https://huggingface.co/docs/transformers/main_classes/tokenizer",
)

# JSON files (by name) that transformers / sentence-transformers read at load time
_NAMED_FILES = frozenset(
    {"special_tokens_map.json", "byte_maps.json", "modules.json", "speaker_embeddings_path.json"}
)
# peft's own rules judge adapter_config.json's base_model_name_or_path
_SKIP_FILES = frozenset({"adapter_config.json"})
# keys the loaders set from the caller or never open (see the module docstring)
# (Bark's repo_or_path: save_pretrained writes the save folder, from_pretrained overwrites it)
METADATA_KEYS = frozenset(
    {"name_or_path", "_name_or_path", "special_tokens_map_file", "repo_or_path"}
)
PATH_SUFFIXES = ("_file", "_files", "_path", "_paths", "_dir", "_dirs", "_folder", "_folders")
# keys whose value is loaded with from_pretrained / hf_hub_download: any value is another source
_PLURAL = ("_files", "_paths", "_dirs", "_folders")
REPO_SUFFIXES = ("_name_or_path", "_repo", "_repo_id")
REPO_KEYS = frozenset({"repo_path", "repo_id", "pretrained_model_name_or_path"})
PATH_KEYS = frozenset({
    "model_file", "path", "file", "filename", "file_name", "folder", "directory",
    "semantic_prompt", "coarse_prompt", "fine_prompt",  # Bark voice presets (.npy files)
})  # fmt: skip
# a STRING here is opened as given, i.e. relative to the working directory, never the model's
# (TokenizersBackend's vocab/merges, MyT5's byte maps); honest saves write objects/lists
CWD_KEYS = frozenset({"vocab", "merges", "decompose_map", "merge_map"})
# the library default of OneFormerImageProcessor.repo_path (honest configs name it; the loader
# fetches only a class-name JSON from it)
LIBRARY_REPOS = frozenset({"shi-labs/oneformer_demo"})
# LayoutLM image processors (apply_ocr) hand these to the tesseract command line: options can
# name config files, a tessdata dir or write images; only page-segmentation / engine modes pass
_TESSERACT_CONFIG = re.compile(r"^\s*((--psm|--oem)\s+\d{1,2}\s*)*$")
_OCR_LANG = re.compile(r"^[A-Za-z_]{1,40}(\+[A-Za-z_]{1,40}){0,20}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
MAX_NODES = 1_000_000
MAX_SHOWN = 20


def judged_file(name: str) -> bool:
    """Whether a JSON file of this name is read by the HF loaders (``*config.json`` covers
    config, tokenizer/processor/preprocessor/feature-extractor/generation/audio-tokenizer and
    sentence-transformers configs)."""
    low = name.lower()
    if low in _SKIP_FILES:
        return False
    return low in _NAMED_FILES or low.endswith("config.json")


def _kind(key: str) -> str:
    """``repo`` (loaded as a model/repo), ``path`` (opened as a file) or ``""``."""
    low = key.lower()
    if low in METADATA_KEYS:
        return ""
    if low in REPO_KEYS or low.endswith(REPO_SUFFIXES):
        return "repo"
    if low in CWD_KEYS:
        return "cwd"
    if low in PATH_KEYS or low.endswith(PATH_SUFFIXES):
        return "path"
    return ""


def outside(value: str) -> str:
    """Why a path string leaves the model folder, "" when it is a plain relative name."""
    if "\0" in value:
        return "contains NUL"
    v = value.strip()
    if v.startswith(("/", "\\")) or _DRIVE.match(v):
        return "absolute path"
    if v.startswith("~"):
        return "home-relative path"
    if _URL.match(v):
        return "URL"
    parts = re.split(r"[/\\]", v)
    if ".." in parts:
        return "climbs with '..'"
    # the folders every walk skips (OMS default ignores): a loader sent into one reads what
    # no rule judged (rt25: a sentence-transformers module folder in .git/ with an auto_map)
    if default_ignored(parts):
        return "inside a folder the scan skips (.git / .github)"
    return ""


def _repo_reason(value: str) -> str:
    v = value.strip()
    if v == "" or v in LIBRARY_REPOS:
        return ""
    return outside(v) or "loads another folder or repository (resolved against the cwd or the Hub)"


def _cwd_reason(value: str) -> str:
    return outside(value) or "a string is opened relative to the working directory"


_REASONS = {"repo": _repo_reason, "cwd": _cwd_reason, "path": outside}


def path_findings(doc: Any, location: str, member: str | None, name: str) -> list[Finding]:
    """Every string under a file/folder/repo key, at any depth of ``doc``, that leaves the
    model folder (AIR-CFG-017). Bounded walk; a document too large to walk is a finding."""
    if not judged_file(name):
        return []
    out: list[Finding] = []
    queue: deque[tuple[Any, str]] = deque([(doc, "")])
    seen = 0
    while queue and len(out) < MAX_SHOWN:
        node, path = queue.popleft()
        seen += 1
        if seen > MAX_NODES:
            ev = f"{name}: more than {MAX_NODES} objects; path values not all checked"
            return [*out, CONFIG_PATH.finding(location, ev, member=member)]
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            here = f"{path}.{k}" if path else str(k)
            here = here[:200]
            if isinstance(v, (dict, list)):
                queue.append((v, here))
            if k in ("tesseract_config", "ocr_lang") and isinstance(v, str):
                pattern = _TESSERACT_CONFIG if k == "tesseract_config" else _OCR_LANG
                if not pattern.match(v):
                    ev = f"{here}: {short(v, 200)} (options for the tesseract command)"
                    out.append(CONFIG_PATH.finding(location, ev, member=member))
            router = isinstance(node, dict) and "structure" in node
            if k == "types" and router and isinstance(v, dict):
                # a sentence-transformers Router loads each module from the folder its id names
                for mid in v:  # every id read; only the findings are capped
                    if len(out) < MAX_SHOWN and (why := outside(mid)):
                        ev = f"{here}: module folder {short(mid, 200)} ({why})"
                        out.append(CONFIG_PATH.finding(location, ev, member=member))
            if not isinstance(k, str) or not (kind := _kind(k)):
                continue
            if k == "class_info_file" and isinstance(v, str) and isinstance(node, dict):
                if "repo_path" in node and not node["repo_path"]:  # joined to "": the cwd
                    ev = f"{here}: {short(v, 200)} (repo_path empty: read from the cwd)"
                    out.append(CONFIG_PATH.finding(location, ev, member=member))
            for s in _strings(k, v):
                why = _REASONS[kind](s)
                if why:
                    ev = f"{here}: {short(s, 200)} ({why})"
                    out.append(CONFIG_PATH.finding(location, ev, member=member))
    return out


def _strings(key: str, value: Any) -> list[str]:
    """The strings a loader would open: the value itself, or the items of a plural key's list
    (an inline ``vocab``/``merges`` list is data, not paths)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and key.lower().endswith(_PLURAL):
        return [x for x in value if isinstance(x, str)]  # every item; only findings are capped
    return []


def file_name(location: str, member: str | None) -> str:
    """The base name of the JSON file (archive member or path on disk)."""
    return PurePosixPath((member or location).replace("\\", "/")).name
