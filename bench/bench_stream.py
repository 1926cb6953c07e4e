"""Archives and compressed files judged before download (issue 15, session 6): scanned by ranges,
never staged, against the previous build that staged them whole.

Runs the test hub (tests/sources/hubserver.py) on 127.0.0.1 over generated files: a zip of
stored .npy members plus a deflated pickle, the same as a plain tar, a tar.gz and a compressed
joblib file, each allowed (a harmless pickle) and denied (a pickle calling os.system, never run).
Every row is a whole `airlock check NAME --format json` process (bench_sources.run_check): wall
time, CPU, peak RSS (VmHWM), bytes the hub sent, the largest size the staging folder reached
(polled every 50 ms), verdict and root digest; "local" is the same file on disk; "staged" is the
given older build (``--old-src``: its ``src`` folder) judging the same hub name.

An ``np.savez`` file with one ``--npz-mib`` array (``--only npz``) has a stored member past the
memory bound (a plain array: judged by its ``.npy`` header since session 7, never spooled;
the poll counts unlinked files still open too). ``--only pickle,joblib-raw`` (session 7): a
``--gib`` plain pickle of byte strings and an uncompressed ``joblib.dump`` of one array,
denied twins with the call pickled after all of it; the pickle analyser reads them by ranges
(before: staged whole). A plain pickle whose STOP lies past the analyser's 384 MiB cap is
"not judged" (denied) locally and remotely alike; ``pickle-mid`` (``--pickle-mib``, 300) ends
under the cap but past the 256 MiB prefix. ``--only zip-pickle,zip-zip-pickle,zip-tar-pickle``
(session 7, helper `nospool`): that pickle as a stored member of a zip, of a zip in a zip, of
a tar in a zip: scanned by ranges in place (before: spooled to the staging folder).

Usage: python bench/bench_stream.py [--gib 1.0] [--gz-mib 256] [--npz-mib 400] [--old-src PATH]
       [--only KIND] [--pickle-mib 300] [--url]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tarfile
import tempfile
import threading
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.sources.hubserver import HubRepo, HubServer  # noqa: E402
from tests.sources.models import evil_pickle  # noqa: E402

from bench.bench_sources import CPU, run_check  # noqa: E402

OK_PICKLE = b"\x80\x04\x95\x0b\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s."
MEMBER = 200 * 1024**2  # stored .npy members: each spooled to the staging folder, judged mapped


def _npy(n: int) -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.frombuffer(os.urandom(n), dtype=np.uint8))
    return buf.getvalue()


def _members(total: int, evil: bool) -> list[tuple[str, bytes]]:
    out = []
    left, i = total, 0
    while left > 0:
        n = min(MEMBER, left)
        out.append((f"model/weights-{i}.npy", _npy(n)))
        left -= n
        i += 1
    out.append(("model/model.pkl", evil_pickle() if evil else OK_PICKLE))
    return out


def make_zip(path: Path, total: int, evil: bool) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in _members(total, evil):
            method = zipfile.ZIP_DEFLATED if name.endswith(".pkl") else zipfile.ZIP_STORED
            z.writestr(zipfile.ZipInfo(name), data, compress_type=method)


def make_tar(path: Path, total: int, evil: bool, mode: str) -> None:
    with tarfile.open(path, mode) as t:  # type: ignore[call-overload]
        for name, data in _members(total, evil):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def make_joblib(path: Path, total: int, evil: bool) -> None:
    import joblib
    import numpy as np

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("echo pwned",))

    obj: dict[str, object] = {"w": np.frombuffer(os.urandom(total), dtype=np.uint8)}
    if evil:
        obj["p"] = Payload()
    joblib.dump(obj, path, compress=3)


def make_joblib_raw(path: Path, total: int, evil: bool) -> None:
    """``joblib.dump`` without compression: raw array bytes between the opcodes."""
    import joblib
    import numpy as np

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("echo pwned",))

    arr = np.empty(total, dtype=np.uint8)
    step = 64 * 1024**2
    for i in range(0, total, step):
        arr[i : i + step] = np.frombuffer(os.urandom(min(step, total - i)), dtype=np.uint8)
    obj: dict[str, object] = {"w": arr}
    if evil:
        obj["p"] = Payload()  # pickled after the array: far into the file
    joblib.dump(obj, path)


def make_pickle(path: Path, total: int, evil: bool) -> None:
    """A plain pickle (protocol 4): a list of 256 MiB byte strings, then (denied) a call of
    ``os.system`` after all of them, written in pieces (never whole in memory)."""
    import struct

    piece = 256 * 1024**2
    with open(path, "wb") as fh:
        fh.write(b"\x80\x04]\x94(")
        left = total
        while left > 0:
            n = min(piece, left)
            fh.write(b"\x8e" + struct.pack("<Q", n))  # BINBYTES8
            for i in range(0, n, 64 * 1024**2):
                fh.write(os.urandom(min(64 * 1024**2, n - i)))
            left -= n
        fh.write((evil_pickle()[2:-1] if evil else b"K\x01") + b"e.")


def make_zip_pickle(path: Path, total: int, evil: bool, nest: str = "") -> None:
    """A zip holding ``make_pickle``'s file as a stored member (``nest`` "zip"/"tar": inside a
    stored inner zip or tar), a member past ``IN_MEMORY`` (session 7, helper `nospool`:
    scanned by ranges in place; before, spooled whole to the staging folder)."""
    inner = path.with_name("model.pkl")
    make_pickle(inner, total, evil)
    if nest:
        box = path.with_name(f"inner.{nest}")
        if nest == "zip":
            with zipfile.ZipFile(box, "w") as z:
                z.write(inner, "model.pkl", compress_type=zipfile.ZIP_STORED)
        else:
            with tarfile.open(box, "w") as t:
                t.add(inner, "model.pkl")
        inner.unlink()
        inner = box
    with zipfile.ZipFile(path, "w") as z:
        z.write(inner, inner.name, compress_type=zipfile.ZIP_STORED)
    inner.unlink()


def make_npz(path: Path, total: int, evil: bool) -> None:
    """``np.savez`` (members stored) of one ``total``-byte array: a member larger than the
    scan's memory bound (spooled to the staging folder when streamed). Denied: plus an object
    array pickling a call of ``os.system`` (never run)."""
    import numpy as np

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("echo pwned",))

    arrays: dict[str, object] = {"w": np.frombuffer(os.urandom(total), dtype=np.uint8)}
    if evil:
        arrays["p"] = np.array([b"x", Payload()], dtype=object)
    np.savez(path, **arrays)  # type: ignore[arg-type]


class Peak:
    """The largest total size of files under ``folder`` while running (polled)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.peak, self._stop = folder, 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _size(self) -> int:
        total = 0
        for dirpath, _dirs, files in os.walk(self.folder):
            for f in files:
                try:
                    total += os.stat(os.path.join(dirpath, f)).st_blocks * 512
                except OSError:
                    pass
        return total + self._unlinked()

    def _unlinked(self) -> int:
        """Files under the folder already unlinked but still open (a spooled member): found
        through the open descriptors of every process (``/proc/PID/fd``)."""
        total, prefix = 0, str(self.folder) + "/"
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
            except OSError:
                continue
            for fd in fds:
                link = f"/proc/{pid}/fd/{fd}"
                try:
                    target = os.readlink(link)
                    if target.startswith(prefix) and target.endswith(" (deleted)"):
                        total += os.stat(link).st_blocks * 512
                except OSError:
                    pass
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._size())

    def __enter__(self) -> Peak:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def _verdict(doc: dict[str, object]) -> tuple[str, str]:
    if "verdict" not in doc:
        return f"error: {doc}"[:80], "-"
    return str(doc["verdict"]), str(doc.get("root_digest") or "")[:16] + "…"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gib", type=float, default=1.0)
    ap.add_argument("--gz-mib", type=int, default=256)
    ap.add_argument("--old-src", type=Path, default=None)
    ap.add_argument("--npz-mib", type=int, default=400)
    ap.add_argument("--only", default="")
    ap.add_argument("--pickle-mib", type=int, default=300)  # under the analyser's 384 MiB cap
    ap.add_argument("--url", action="store_true", help="also each file as a plain https URL")
    args = ap.parse_args()
    big = int(args.gib * 1024**3)
    gz = args.gz_mib * 1024**2
    mid = args.pickle_mib * 1024**2
    kinds = {
        "zip": ("archive.zip", lambda p, e: make_zip(p, big, e)),
        "tar": ("archive.tar", lambda p, e: make_tar(p, big, e, "w")),
        "tar.gz": ("archive.tar.gz", lambda p, e: make_tar(p, gz, e, "w:gz")),
        "tar.gz-big": ("big.tar.gz", lambda p, e: make_tar(p, big, e, "w:gz")),
        "joblib": ("model.joblib", lambda p, e: make_joblib(p, gz, e)),
        "npz": ("arrays.npz", lambda p, e: make_npz(p, args.npz_mib * 1024**2, e)),
        "zip-pickle": ("archive.zip", lambda p, e: make_zip_pickle(p, mid, e)),
        "zip-zip-pickle": ("nested.zip", lambda p, e: make_zip_pickle(p, mid, e, "zip")),
        "zip-tar-pickle": ("nested-tar.zip", lambda p, e: make_zip_pickle(p, mid, e, "tar")),
        "pickle": ("model.pkl", lambda p, e: make_pickle(p, big, e)),
        "pickle-mid": ("mid.pkl", lambda p, e: make_pickle(p, args.pickle_mib * 1024**2, e)),
        "joblib-raw": ("model-raw.joblib", lambda p, e: make_joblib_raw(p, big, e)),
    }
    if args.only:
        kinds = {k: v for k, v in kinds.items() if k in args.only.split(",")}
    rows = [
        "| file | run | wall s | CPU s | peak RSS MiB | hub bytes sent | staging peak | verdict "
        "| root |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as tmp, HubServer() as hub:
        base = Path(tmp)
        env = dict(os.environ, HF_ENDPOINT=hub.url, HF_HUB_CACHE=str(base / "hf-cache"),
                   NO_PROXY="127.0.0.1", PYTHONPATH=str(ROOT / "src"))  # fmt: skip
        env.pop("HF_TOKEN", None)
        for kind, (fname, make) in kinds.items():
            for evil in (False, True):
                src = base / f"src-{kind}-{evil}"
                src.mkdir()
                make(src / fname, evil)
                size = (src / fname).stat().st_size
                repo = f"bench/{kind.replace('.', '-')}-{str(evil).lower()}"
                hub.add(HubRepo.from_dir(repo, src))
                label = f"{fname} {size / 1024**2:,.0f} MiB {'denied' if evil else 'allowed'}"
                runs = [("local", str(src), env), ("streamed", f"hf://{repo}", env)]
                if args.url:  # no stated digest: the scan's read is also the digest's
                    runs.append(("URL, no digest", f"{hub.url}/{repo}/resolve/main/{fname}", env))
                if args.old_src is not None:
                    runs.append(("staged (old build)", f"hf://{repo}",
                                 dict(env, PYTHONPATH=str(args.old_src))))  # fmt: skip
                for run, name, run_env in runs:
                    staging = base / f"staging-{kind}-{evil}-{run.split()[0]}"
                    staging.mkdir()
                    run_env = dict(run_env, AIRLOCK_STAGING_DIR=str(staging))
                    sent0 = hub.bytes_sent
                    with Peak(staging) as peak:
                        dt, doc, rss = run_check(name, run_env)
                    verdict, root = _verdict(doc)
                    sent = hub.bytes_sent - sent0
                    rows.append(
                        f"| {label} | {run} | {dt:.2f} | {CPU[-1]:.2f} | {rss / 1024**2:.0f} "
                        f"| {sent:,} | {peak.peak:,} | {verdict} | {root} |"
                    )
                    print(rows[-1], flush=True)
                (src / fname).unlink()
    print(f"load average at the end: {os.getloadavg()}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
