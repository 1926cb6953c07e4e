"""One generated model file: a shape (how the bytes are laid out), a gadget (what the payload
does) and every choice in between, drawn from a :class:`Chooser`.

``sample(ch, marker)`` is the whole generator; ``recipe`` says how the file was built in words,
and (seed, index) in the campaign rebuilds it byte for byte.
"""

from __future__ import annotations

import tarfile
from dataclasses import dataclass

from tests.differential import containers as C
from tests.differential.choice import Chooser
from tests.differential.gadgets import GADGETS, benign
from tests.differential.pickles import compile_pickle, to_object

RAW_EXTS = (".pkl", ".pkl", ".pickle", ".bin", ".pt", ".pth", ".ckpt", ".joblib", ".npy", ".dat",
            ".txt", ".json", ".safetensors", ".h5", ".onnx", ".gguf", ".md", "", ".model",
            ".msgpack", ".yaml", ".py")  # fmt: skip

# benign files carry the names real writers give them: a pickle named .txt is rightly a finding
NATURAL_EXTS = (".pkl", ".pickle", ".bin", ".pt", ".pth", ".ckpt", ".joblib")

SHAPES = ("pickle", "pickle", "pickle", "pickle-compressed", "torch-zip", "prefix+torch-zip",
          "prefix+npz", "prefix+zip", "torch-zip+suffix", "torch-legacy", "npy-object",
          "npz-object", "joblib", "zip-in-zip", "tar", "tar.gz", "nemo", "tar-escape",
          "truncated", "pickle-in-zip-pandas", "multistream", "compressed+junk",
          "torch-zip-duplicate", "joblib-dotted")  # fmt: skip


# A benign file is one a real writer could produce: polyglots (a pickle in front of a zip),
# truncated files and extraction escapes are findings in themselves, whatever they carry.
BENIGN_SHAPES = ("pickle", "pickle", "pickle-compressed", "torch-zip", "torch-legacy",
                 "npy-object", "npz-object", "joblib", "zip-in-zip", "tar", "tar.gz", "nemo",
                 "tar-escape", "pickle-in-zip-pandas")  # fmt: skip


CONTAINERS = ("zip-in-zip", "tar", "tar.gz", "nemo", "tar-escape", "truncated",
              "pickle-in-zip-pandas")  # fmt: skip


@dataclass(frozen=True)
class Sample:
    name: str  # file name (the extension matters to some loaders)
    data: bytes
    marker: str | None  # None: no payload (a benign file)
    shape: str
    gadget: str
    recipe: str


def _pickle(ch: Chooser, marker: str | None) -> tuple[bytes, str, str]:
    """``(pickle bytes, gadget name, recipe)``."""
    around = benign(ch.int)
    if marker is None:
        data, recipe = compile_pickle(ch, benign(ch.int), benign_around=around, polyglot=False)
        return data, "none", recipe
    gadget = ch.pick(tuple(GADGETS))
    data, recipe = compile_pickle(ch, GADGETS[gadget](marker), benign_around=around)
    return data, gadget, recipe


def sample(ch: Chooser, marker: str | None, depth: int = 0) -> Sample:
    """A generated file. ``marker`` is the absolute path the payload creates (None: benign)."""
    shapes: tuple[str, ...] = SHAPES if marker is not None else BENIGN_SHAPES
    if depth >= 2:
        shapes = tuple(x for x in shapes if x not in CONTAINERS)
    shape = ch.pick(shapes)
    pkl, gadget, prec = _pickle(ch, marker)
    stem = ch.pick(("model", "pytorch_model", "weights", "data", "x"))

    if shape == "pickle":
        exts = RAW_EXTS if marker is not None else NATURAL_EXTS
        return Sample(stem + ch.pick(exts), pkl, marker, shape, gadget, prec)
    if shape == "pickle-compressed":
        data, how, suffix = C.compress(ch, pkl)
        name = stem + ch.pick((".pkl" + suffix, ".pkl", ".joblib", suffix, ".pt"))
        return Sample(name, data, marker, shape, gadget, f"{how}({prec})")
    if shape == "torch-zip":
        data, zrec = C.torch_zip(ch, pkl)
        return Sample(stem + ch.pick((".pt", ".bin", ".ckpt", ".pth", ".zip")), data, marker,
                      shape, gadget, f"{zrec} data.pkl={prec}")  # fmt: skip
    if shape in ("prefix+torch-zip", "prefix+npz", "prefix+zip"):
        if shape == "prefix+torch-zip":
            tail, trec = C.torch_zip(ch, None)
        elif shape == "prefix+npz":
            tail, trec = C.npz(ch, C.npy_object(ch, None)[0], odd=True)
        else:
            tail, trec = C.zip_of(ch, [("config.json", b"{}")]), "zip[config.json]"
        ext = ch.pick((".pt", ".bin", ".npz", ".zip", ".pkl", ".ckpt"))
        return Sample(stem + ext, pkl + tail, marker, shape, gadget, f"{prec} + {trec}")
    if shape == "torch-zip+suffix":
        head, trec = C.torch_zip(ch, None)
        return Sample(stem + ".pt", head + pkl, marker, shape, gadget, f"{trec} + {prec}")
    if shape == "torch-legacy":
        data, lrec = C.torch_legacy(ch, pkl)
        return Sample(stem + ch.pick((".pt", ".bin", ".pth")), data, marker, shape, gadget,
                      f"{lrec} {prec}")  # fmt: skip
    if shape == "npy-object":
        data, nrec = C.npy_object(ch, pkl)
        return Sample(stem + ch.pick((".npy", ".bin", ".dat")), data, marker, shape, gadget,
                      f"{nrec} body={prec}")  # fmt: skip
    if shape == "npz-object":
        member, nrec = C.npy_object(ch, pkl)
        data, zrec = C.npz(ch, member, odd=marker is not None)
        return Sample(stem + ".npz", data, marker, shape, gadget, f"{zrec} first={nrec} {prec}")
    if shape == "joblib":
        made = None
        if marker is not None and ch.chance(0.5):
            try:
                obj = to_object(GADGETS[gadget](marker))
            except (ImportError, AttributeError):
                obj = None
            made = C.joblib_dump(ch, obj) if obj is not None else None
        if made is None:
            data, how, _ = C.compress(ch, pkl) if ch.chance(0.5) else (pkl, "raw", "")
            made = data, f"joblib-compatible {how}({prec})"
        else:
            prec = ""
        return Sample(stem + ".joblib", made[0], marker, shape, gadget, f"{made[1]} {prec}")
    if shape == "multistream":
        data, how, suffix = C.multistream(ch, pkl)
        name = stem + ch.pick((".pkl" + suffix, ".joblib", ".pkl"))
        return Sample(name, data, marker, shape, gadget, f"{how}({prec})")
    if shape == "compressed+junk":
        data, how, suffix = C.compress(ch, pkl)
        junk = ch.pick((b"\x00" * 16, b"junk", b"PK\x05\x06" + b"\x00" * 18))
        name = stem + ch.pick((".pkl" + suffix, ".joblib"))
        return Sample(name, data + junk, marker, shape, gadget, f"{how}({prec}) + {junk!r}")
    if shape == "torch-zip-duplicate":
        benign_pkl, _ = compile_pickle(ch, benign(ch.int), polyglot=False)
        data, zrec = C.torch_zip_duplicate(ch, pkl, benign_pkl)
        return Sample(stem + ".pt", data, marker, shape, gadget, f"{zrec} {prec}")
    if shape == "joblib-dotted":
        made = None
        if marker is not None:
            try:
                made = C.joblib_dotted(ch, to_object(GADGETS[gadget](marker)))
            except (ImportError, AttributeError):
                made = None
        if made is None:  # not picklable by reference: the hand-made payload after a joblib file
            data, jrec = C.joblib_dotted(ch, None) or (b"", "")
            return Sample(stem + ".joblib", data + pkl, marker, shape, gadget, f"{jrec} + {prec}")
        return Sample(stem + ".joblib", made[0], marker, shape, gadget, made[1])
    if shape == "truncated":
        inner = sample(ch, marker, depth + 1)
        cut = ch.int(max(1, len(inner.data) // 3), max(1, len(inner.data) - 1))
        return Sample(inner.name, inner.data[:cut], marker, shape, inner.gadget,
                      f"truncated[{cut}/{len(inner.data)}]({inner.recipe})")  # fmt: skip
    if shape == "tar-escape":
        return _tar_escape(ch, marker, stem)
    # containers holding another generated file
    inner = sample(ch, marker, depth + 1)
    names = [inner.name, "dir/" + inner.name, "./" + inner.name, inner.name.upper()]
    if marker is not None:  # names that leave the folder are findings in themselves
        names += ["../" + inner.name, "a\\" + inner.name]
    iname = ch.pick(names)
    irec = f"{inner.shape}:{inner.recipe}"
    if shape == "zip-in-zip" or shape == "pickle-in-zip-pandas":
        data = C.zip_of(ch, [(iname, inner.data)])
        ext = ".zip" if shape == "zip-in-zip" else ch.pick((".pkl.zip", ".zip"))
        return Sample(stem + ext, data, marker, shape, inner.gadget, f"zip[{iname!r}]({irec})")
    if shape == "nemo":
        ckpt, trec = C.torch_zip(ch, pkl)
        data = C.tar_of([("model_config.yaml", b"target: x\n"), ("./model_weights.ckpt", ckpt)],
                        mode=ch.pick(("w:gz", "w")))  # fmt: skip
        return Sample(stem + ".nemo", data, marker, shape, gadget, f"nemo[{trec} {prec}]")
    mode = "w" if shape == "tar" else ch.pick(("w:gz", "w:bz2", "w:xz"))
    ext = {"w": ".tar", "w:gz": ".tar.gz", "w:bz2": ".tar.bz2", "w:xz": ".tar.xz"}[mode]
    long_name = ch.chance(0.2)
    if long_name:  # longer than ustar's 100 bytes: a GNU longname or a PAX path record
        iname = "d" * ch.int(90, 200) + "/" + iname
    fmt = ch.int(1 if long_name else 0, 2)
    data = C.tar_of([(iname, inner.data)], mode=mode, tar_format=fmt)
    return Sample(stem + ext, data, marker, shape, inner.gadget, f"tar[{mode} {iname!r}]({irec})")


def _tar_escape(ch: Chooser, marker: str | None, stem: str) -> Sample:
    """Extraction attacks: a member whose path leaves the extraction folder. The benign twin
    is the same archive with an ordinary relative name."""
    mode = ch.pick(("w", "w:gz"))
    ext = ".tar" if mode == "w" else ch.pick((".tar.gz", ".nemo", ".tgz"))
    if marker is None:
        data = C.tar_of([("model_config.yaml", b"a: 1\n"), ("weights/x.npy", C.npy_plain())], mode)
        return Sample(stem + ext, data, None, "tar-escape", "none", f"tar[{mode} plain]")
    how = ch.pick(("abs", "dotdot", "symlink-dir", "symlink-file"))
    leaf = marker.rsplit("/", 1)[1]
    folder = marker.rsplit("/", 1)[0]
    links: list[tuple[str, str, bytes]] = []
    if how == "abs":
        members = [(marker, b"x")]
    elif how == "dotdot":
        # the oracle extracts into <scratch>/x/<n>/d and markers live in <scratch>/<folder>
        members = [(f"../../../{folder.rsplit('/', 1)[1]}/{leaf}", b"x")]
    elif how == "symlink-dir":
        links = [("evil", folder, tarfile.SYMTYPE)]
        members = [(f"evil/{leaf}", b"x")]
    else:
        links = [("evil", marker, tarfile.SYMTYPE)]
        members = [("evil", b"x")]
    data = C.tar_of([("model_config.yaml", b"a: 1\n"), *members], mode, links)
    return Sample(stem + ext, data, marker, "tar-escape", f"extract:{how}", f"tar[{mode} {how}]")
