"""Peak memory of ``airlock scan`` on the worst inputs we can build: one fresh process per input,
peak RSS from ``wait4`` (``ru_maxrss``), wall time, exit code and what the report says.

Usage: .venv/bin/python bench/bench_memory.py [--work DIR] [--scale 1.0] [--only NAME ...]
                                              [--budget-mib 512] [--timeout 600] [--out FILE]

Inputs (built once under --work, default /tmp/airlock-membench; --scale shrinks or grows them):
zip bombs (one deflated member of a gigabyte of pickle opcodes or zeros; many central-directory
entries sharing one member), a ~20 MB zip whose data.pkl is 45 MB of real opcodes (ratio ~2,
so no ratio limit stops it), a stored 200 MB data.pkl, a 20 MB zip of 200,000 members, zips
nested 40 deep, a folder of three bombs, a 99 MiB safetensors header, a 99 MiB .npy header,
GGUF with a million metadata keys and a 10-million-string array, pickles of 50 M opcodes /
10 M memo entries / 10 M nested marks / a 1 GiB string / a million distinct globals, gzip and
joblib-zlib bombs of pickle opcodes, a tar of 100,000 members, a 10 M-deep JSON config and a
50 MB chat template. Any input whose peak RSS exceeds the budget is listed at the end (exit 1).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

MiB = 1 << 20
CHUNK = 16 * MiB


def _stream_member(zf: zipfile.ZipFile, name: str, pattern: bytes, total: int) -> None:
    block = pattern * (CHUNK // len(pattern))
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as f:
        left = total
        while left > 0:
            piece = block[: min(left, len(block))]
            f.write(piece)
            left -= len(piece)


def zip_bomb(
    path: Path, s: float, pattern: bytes = b"N0", member: str = "archive/data.pkl"
) -> None:
    """One deflated member expanding to gigabytes (a valid pickle: NONE, POP, ...)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _stream_member(zf, member, pattern, int(4096 * MiB * s))
        zf.writestr("archive/version", b"3\n")


def _string_pickle(total: int, seed: int = 7) -> Iterator[bytes]:
    """A valid pickle stream of short random-hex strings (each pushed and popped), in chunks:
    compresses only about 2:1, so ratio limits do not stop it."""
    import random

    rng = random.Random(seed)
    yield b"\x80\x04"
    done = 2
    while done < total:
        chunk = b"".join(
            b"\x8c\x40" + rng.randbytes(32).hex().encode() + b"0" for _ in range(16384)
        )
        yield chunk
        done += len(chunk)
    yield b"N."


def zip_lowratio(path: Path, s: float) -> None:
    """A ~20 MB deflated torch-style zip whose data.pkl is ~45 MB of real opcodes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("archive/data.pkl")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as f:
            for chunk in _string_pickle(int(45 * MiB * s)):
                f.write(chunk)
        zf.writestr("archive/version", b"3\n")


def zip_stored_big(path: Path, s: float) -> None:
    """A stored (uncompressed) 200 MB data.pkl of real opcodes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        info = zipfile.ZipInfo("archive/data.pkl")
        with zf.open(info, "w", force_zip64=True) as f:
            for chunk in _string_pickle(int(200 * MiB * s)):
                f.write(chunk)
        zf.writestr("archive/version", b"3\n")


def zip_overlap(path: Path, s: float) -> None:
    """Many central-directory entries, all naming the same 256 MiB deflated member: every entry
    a reader opens decompresses it again (a non-recursive bomb)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _stream_member(zf, "data.pkl", b"N0", int(256 * MiB * s))
    raw = buf.getvalue()
    eocd = raw.rfind(b"PK\x05\x06")
    cd_off = struct.unpack_from("<I", raw, eocd + 16)[0]
    cd = raw[cd_off:eocd]
    if raw.rfind(b"PK\x06\x06") != -1:  # zip64: keep it simple, rebuild without duplication
        path.write_bytes(raw)
        return
    n = max(2, int(2000 * s))
    body = raw[:cd_off]
    out = body + cd * n
    out += struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, n & 0xFFFF, n & 0xFFFF,
                       len(cd) * n, len(body), 0)  # fmt: skip
    path.write_bytes(out)


def zip_many(path: Path, s: float) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(int(200_000 * s)):
            zf.writestr(f"shard/{i:07d}.pkl", b"N.")


def zip_nested(path: Path, s: float) -> None:
    data = b"cos\nsystem\n(S'true'\ntR."
    name = "data.pkl"
    for i in range(max(2, int(40 * s))):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name, data)
        data, name = buf.getvalue(), f"level{i}.zip"
    path.write_bytes(data)


def folder_of_bombs(path: Path, s: float) -> None:
    path.mkdir(exist_ok=True)
    for i in range(3):
        zip_bomb(path / f"model-{i}.pt", s)


def safetensors_header(path: Path, s: float) -> None:
    """A 99 MiB JSON header: ~1.3 M tensors of 4 bytes each."""
    target = int(99 * MiB * s)
    parts, size, i = [], 2, 0
    while size < target:
        entry = f'"t{i}":{{"dtype":"F32","shape":[1],"data_offsets":[{4 * i},{4 * i + 4}]}}'
        parts.append(entry)
        size += len(entry) + 1
        i += 1
    header = ("{" + ",".join(parts) + "}").encode()
    with path.open("wb") as f:
        f.write(struct.pack("<Q", len(header)) + header)
        f.truncate(8 + len(header) + 4 * i)


def npy_header(path: Path, s: float) -> None:
    """A version-2 .npy whose header dict is padded to 99 MiB."""
    d = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"
    hl = int(99 * MiB * s)
    header = (d + " " * (hl - len(d) - 1) + "\n").encode()
    path.write_bytes(b"\x93NUMPY\x02\x00" + struct.pack("<I", len(header)) + header + b"\0" * 16)


def _gguf_str(t: str) -> bytes:
    b = t.encode()
    return struct.pack("<Q", len(b)) + b


def gguf_kv(path: Path, s: float) -> None:
    """GGUF v3: a million metadata keys, then one array of 10 M short strings."""
    n_kv = int(1_000_000 * s)
    with path.open("wb") as f:
        f.write(b"GGUF" + struct.pack("<IQQ", 3, 0, n_kv + 1))
        for i in range(n_kv):
            f.write(_gguf_str(f"general.k{i}") + struct.pack("<II", 4, i))  # UINT32
        n_arr = int(10_000_000 * s)
        f.write(_gguf_str("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, n_arr))
        item = _gguf_str("tok")
        block = item * 65536
        left = n_arr
        while left > 0:
            k = min(left, 65536)
            f.write(block[: k * len(item)])
            left -= k


def pickle_ops(path: Path, s: float) -> None:
    n = int(25_000_000 * s)
    path.write_bytes(b"\x80\x02" + b"N0" * n + b"N.")


def pickle_memo(path: Path, s: float) -> None:
    n = int(10_000_000 * s)
    with path.open("wb") as f:
        f.write(b"\x80\x02]")
        f.write(b"(")
        for start in range(0, n, 1 << 16):
            f.write(
                b"".join(
                    b"K\x01r" + struct.pack("<I", i)
                    for i in range(start, min(n, start + (1 << 16)))
                )
            )
        f.write(b"e.")


def pickle_deep(path: Path, s: float) -> None:
    n = int(10_000_000 * s)
    path.write_bytes(b"\x80\x02" + b"(" * n + b"N" + b"t" * n + b".")


def pickle_big_string(path: Path, s: float) -> None:
    n = int(1024 * MiB * s)
    with path.open("wb") as f:
        f.write(b"\x80\x04\x8d" + struct.pack("<Q", n))
        f.truncate(11 + n)
        f.seek(11 + n)
        f.write(b".")


def pickle_globals(path: Path, s: float) -> None:
    n = int(1_000_000 * s)
    with path.open("wb") as f:
        f.write(b"\x80\x02")
        for start in range(0, n, 1 << 16):
            f.write(
                b"".join(
                    f"cmod{i}\nname{i}\n0".encode() for i in range(start, min(n, start + (1 << 16)))
                )
            )
        f.write(b"N.")


def gzip_bomb(path: Path, s: float) -> None:
    block = b"N0" * (CHUNK // 2)
    left = int(1024 * MiB * s)
    with gzip.open(path, "wb", compresslevel=9) as f:
        while left > 0:
            piece = block[: min(left, len(block))]
            f.write(piece)
            left -= len(piece)
        f.write(b"N.")


def zlib_joblib_bomb(path: Path, s: float) -> None:
    """joblib's zlib container: the raw zlib stream of gigabytes of opcodes."""
    c = zlib.compressobj(9)
    block = b"N0" * (CHUNK // 2)
    left = int(1024 * MiB * s)
    with path.open("wb") as f:
        while left > 0:
            piece = block[: min(left, len(block))]
            f.write(c.compress(piece))
            left -= len(piece)
        f.write(c.compress(b"N.") + c.flush())


def tar_many(path: Path, s: float) -> None:
    with tarfile.open(path, "w") as t:
        for i in range(int(100_000 * s)):
            ti = tarfile.TarInfo(f"m/{i:07d}.pkl")
            ti.size = 2
            t.addfile(ti, io.BytesIO(b"N."))


def json_deep(path: Path, s: float) -> None:
    path.mkdir(exist_ok=True)
    n = int(10_000_000 * s)
    (path / "config.json").write_bytes(b"[" * n + b"]" * n)
    (path / "model.safetensors").write_bytes(struct.pack("<Q", 2) + b"{}")


def chat_template(path: Path, s: float) -> None:
    path.mkdir(exist_ok=True)
    body = "{% for m in messages %}{{ m['content'] }}{% endfor %}" * int(50 * MiB * s / 50)
    (path / "tokenizer_config.json").write_text(json.dumps({"chat_template": body}))


INPUTS: dict[str, tuple[str, Callable[[Path, float], None]]] = {
    "zip-bomb-pickle": ("bomb.pt", zip_bomb),
    "zip-bomb-zeros": ("zeros.zip", lambda p, s: zip_bomb(p, s, b"\0", "weights.bin")),
    "zip-overlap-2000": ("overlap.zip", zip_overlap),
    "zip-20MB-lowratio-45MB-pickle": ("lowratio.pt", zip_lowratio),
    "zip-stored-200MB-pickle": ("stored.pt", zip_stored_big),
    "zip-200k-members": ("many.zip", zip_many),
    "zip-nested-40": ("nested.zip", zip_nested),
    "folder-3-bombs": ("bombs", folder_of_bombs),
    "safetensors-99MiB-header": ("big.safetensors", safetensors_header),
    "npy-99MiB-header": ("big.npy", npy_header),
    "gguf-1M-kv-10M-strings": ("many.gguf", gguf_kv),
    "pickle-50M-opcodes": ("ops.pkl", pickle_ops),
    "pickle-10M-memo": ("memo.pkl", pickle_memo),
    "pickle-10M-deep": ("deep.pkl", pickle_deep),
    "pickle-1GiB-string": ("string.pkl", pickle_big_string),
    "pickle-1M-globals": ("globals.pkl", pickle_globals),
    "gzip-bomb-1GiB": ("bomb.pkl.gz", gzip_bomb),
    "joblib-zlib-bomb-1GiB": ("bomb.joblib", zlib_joblib_bomb),
    "tar-100k-members": ("many.tar", tar_many),
    "json-10M-deep": ("deepjson", json_deep),
    "chat-template-50MB": ("template", chat_template),
}


def build(work: Path, name: str, scale: float) -> Path:
    fname, fn = INPUTS[name]
    path = work / f"{scale:g}" / fname
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fn(path, scale)
    return path


def disk_size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


# Runs the measured commands. A process's ru_maxrss starts at its parent's peak RSS (Linux records
# the old address space's high-water mark at exec), so the commands are forked by this small
# process started before any input is built, not by the bench (which holds inputs in memory).
_SPAWNER = r"""
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    req = json.loads(line)
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(req["cmd"], stdout=subprocess.DEVNULL, stderr=err)
        killed = False
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > req["timeout"]:
                p.kill()
                _, status, ru = os.wait4(p.pid, 0)
                killed = True
                break
            time.sleep(0.02)
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace")
    print(json.dumps({"maxrss_kb": ru.ru_maxrss, "exit": os.waitstatus_to_exitcode(status),
                      "wall": time.monotonic() - t0, "killed": killed, "stderr": tail}), flush=True)
"""


class Spawner:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SPAWNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, cmd: list[str], timeout: float) -> dict[str, object]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"cmd": cmd, "timeout": timeout}) + "\n")
        self.proc.stdin.flush()
        return dict(json.loads(self.proc.stdout.readline()))

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def measure(sp: Spawner, path: Path, timeout: float) -> dict[str, object]:
    """``airlock scan`` in a fresh process: peak RSS, wall time, exit code, report summary."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [
            sys.executable,
            "-m",
            "airlock",
            "scan",
            str(path),
            "--format",
            "json",
            "-o",
            out.name,
        ]
        r = sp.run(cmd, timeout)
        try:
            summary = json.loads(Path(out.name).read_text() or "{}").get("summary", {})
        except (OSError, ValueError):
            summary = {}
    err = str(r["stderr"]).strip()
    return {
        "peak_rss_mib": round(float(r["maxrss_kb"]) / 1024, 1),  # type: ignore[arg-type]
        "wall_s": round(float(r["wall"]), 2),  # type: ignore[arg-type]
        "exit": r["exit"],
        "timed_out": r["killed"],
        "not_scanned": summary.get("not_scanned"),
        "max_severity": summary.get("max_severity"),
        "stderr": err.splitlines()[-1][:200] if err else "",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/airlock-membench"))
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--budget-mib", type=float, default=512)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    sp = Spawner()  # first, while this process is small
    names = args.only or list(INPUTS)
    rows = []
    base_dir = args.work / "baseline"
    base_dir.mkdir(parents=True, exist_ok=True)
    (base_dir / "tiny.pkl").write_bytes(b"N.")
    base = measure(sp, base_dir / "tiny.pkl", args.timeout)
    print(f"{'baseline (2-byte pickle)':28} rss {base['peak_rss_mib']:>8} MiB", flush=True)
    for name in names:
        t0 = time.monotonic()
        path = build(args.work, name, args.scale)
        built = time.monotonic() - t0
        r = measure(sp, path, args.timeout)
        r.update(name=name, size_mib=round(disk_size(path) / MiB, 2), build_s=round(built, 1))
        rows.append(r)
        print(f"{name:28} size {r['size_mib']:>9} MiB  rss {r['peak_rss_mib']:>8} MiB  "
              f"wall {r['wall_s']:>7} s  exit {r['exit']}  not_scanned {r['not_scanned']}  "
              f"max {r['max_severity']}  {r['stderr']}", flush=True)  # fmt: skip
    sp.close()
    over = [r for r in rows if (r["peak_rss_mib"] or 0) > args.budget_mib]
    result = {"baseline": base, "scale": args.scale, "budget_mib": args.budget_mib, "inputs": rows,
              "over_budget": [r["name"] for r in over]}  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))
    print(f"over {args.budget_mib} MiB: {result['over_budget'] or 'none'}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
