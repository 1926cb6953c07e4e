"""Session 21 (sbx22): attacker probes of what session 20 left open.

- ``--allow-net`` shared the host's network namespace: TCP ports a host service opened after
  the sandbox started, UDP services on the host's loopback, every host port where Landlock has
  no TCP rules, and the host's own addresses were reachable, and the sandbox could listen on
  host ports. It now gets a network namespace of its own behind slirp4netns (user-mode NAT):
  the host's loopback is another machine's, slirp's gateway does not lead to it
  (``--disable-host-loopback``) and the host's own addresses are prohibited routes inside.
- writable binds had no total bound by default (``sandbox run --rw``, long-lived workers).
- a root caller where the kernel refuses a user namespace for uid 65534 ran as uid 0.

Each probe runs inside; its effect is checked outside (the host listener) so a pass is not
vacuous."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from airlock.sandbox import runner
from airlock.sandbox.launch import python_paths
from airlock.sandbox.runner import SandboxPolicy, SandboxUnavailable, run
from airlock.sandbox.worker import run_python

pytestmark = pytest.mark.skipif(
    not runner.bwrap_works(), reason="bubblewrap missing or kernel lacks user namespaces"
)
PY = str(Path(sys.executable).resolve())
SRC = str(Path(runner.__file__).resolve().parents[2])


def inside(code: str, *args: str, **policy: object) -> subprocess.CompletedProcess[str]:
    dirs, _ = python_paths()
    pol = SandboxPolicy(wall_seconds=90, **policy)  # type: ignore[arg-type]
    res = run([PY, "-I", "-c", code, *args], pol, extra_ro=tuple(dirs))
    return subprocess.CompletedProcess([], res.returncode, res.stdout.decode(), res.stderr.decode())


def worker(code: str, *args: str, **policy: object) -> subprocess.CompletedProcess[str]:
    res = run_python(code, SandboxPolicy(wall_seconds=90, **policy), list(args))  # type: ignore[arg-type]
    return subprocess.CompletedProcess([], res.returncode, res.stdout.decode(), res.stderr.decode())


def host_addresses() -> list[str]:
    """The host's own IPv4 addresses other than loopback (``ip -4 -o addr``)."""
    out = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
    addrs = [line.split()[3].split("/")[0] for line in out.splitlines() if " inet " in line]
    return [a for a in addrs if not a.startswith("127.")]


@contextlib.contextmanager
def host_services(tcp_host: str = "0.0.0.0") -> Iterator[tuple[int, int, list[str]]]:
    """A TCP service on every host address and a UDP service on 127.0.0.1: ``(tcp port,
    udp port, what reached them)``."""
    srv = socket.socket(socket.AF_INET)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((tcp_host, 0))
    srv.listen(8)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    got: list[str] = []

    def serve_tcp() -> None:
        with contextlib.suppress(OSError):
            while True:
                c, peer = srv.accept()
                got.append(f"tcp from {peer[0]}")
                c.sendall(b"HOST-SERVICE")
                c.close()

    def serve_udp() -> None:
        with contextlib.suppress(OSError):
            while True:
                data, peer = udp.recvfrom(100)
                got.append(f"udp {data.decode()} from {peer[0]}")

    for fn in (serve_tcp, serve_udp):
        threading.Thread(target=fn, daemon=True).start()
    try:
        yield srv.getsockname()[1], udp.getsockname()[1], got
    finally:
        srv.close()
        udp.close()


# The sandbox says it started (an rw bind), waits for the host to open its services and name
# them, then tries every way to the host: loopback, slirp's gateway, the host's addresses.
LATE = r"""
import os, socket, sys, time
d = sys.argv[1]
open(d + "/started", "w").close()
for _ in range(600):
    if os.path.exists(d + "/ports"):
        break
    time.sleep(0.05)
tcp, udp, *hosts = open(d + "/ports").read().split()
for h in ["127.0.0.1", "10.0.2.2", *hosts]:
    try:
        s = socket.create_connection((h, int(tcp)), timeout=5)
        print("tcp", h, "reached", s.recv(100).decode())
    except OSError as e:
        print("tcp", h, "held", e.errno)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.sendto(("from-" + h).encode(), (h, int(udp)))
        u.close()
    except OSError as e:
        print("udp", h, "held", e.errno)
time.sleep(1)
"""


@pytest.mark.parametrize("where", ["launcher", "worker"])
def test_host_services_opened_after_start_are_unreachable_with_the_network(
    tmp_path: Path, where: str
) -> None:
    """main: Landlock's deny-list was the ports listening at start; a service opened later
    (here on every host address) and any UDP service on 127.0.0.1 were reached."""
    d = tmp_path / "x"
    d.mkdir()
    runner.grant(d)
    result: list[subprocess.CompletedProcess[str]] = []
    run_in = inside if where == "launcher" else worker
    t = threading.Thread(target=lambda: result.append(run_in(LATE, str(d), allow_net=True,
                                                             rw_paths=(d,))))  # fmt: skip
    t.start()
    for _ in range(1200):
        if (d / "started").exists() or not t.is_alive():
            break
        time.sleep(0.05)
    with host_services() as (tcp, udp, got):
        (d / "ports").write_text(" ".join([str(tcp), str(udp), *host_addresses()]))
        t.join(120)
        time.sleep(0.5)
    out = result[0].stdout
    assert "tcp 127.0.0.1" in out, result[0].stderr[-2000:]
    assert "reached" not in out and not got, (out, got)


def test_host_loopback_is_unreachable_without_landlock_tcp_rules() -> None:
    """main: with Landlock off (or a kernel < 6.7 without TCP rules) a service listening on the
    host's 127.0.0.1 at start was reached with --allow-net."""
    code = LATE.replace('open(d + "/started", "w").close()', "").replace('d + "/ports"', "d")
    with host_services("127.0.0.1") as (tcp, udp, got), contextlib.ExitStack():
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".ports", delete=False) as f:
            f.write(f"{tcp} {udp}")
        os.chmod(f.name, 0o644)
        try:
            res = inside(code, f.name, allow_net=True, landlock=False, ro_paths=(Path(f.name),))
        finally:
            os.unlink(f.name)
        time.sleep(0.5)
    assert "tcp 127.0.0.1" in res.stdout, res.stderr[-2000:]
    assert "reached" not in res.stdout and not got, (res.stdout, got)


LISTEN = r"""
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(1)
open(sys.argv[2] + "/listening", "w").close()
s.settimeout(8)
try:
    c, peer = s.accept()
    print("accepted", peer[0])
except OSError as e:
    print("nobody", e)
"""


def test_the_sandbox_cannot_listen_on_host_ports(tmp_path: Path) -> None:
    """main: --allow-net let the sandbox bind a port of the host (0.0.0.0 here) and take the
    host's connections: it could stand in for a stopped host service."""
    d = tmp_path / "x"
    d.mkdir()
    runner.grant(d)
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    result: list[subprocess.CompletedProcess[str]] = []
    t = threading.Thread(
        target=lambda: result.append(
            inside(LISTEN, str(port), str(d), allow_net=True, rw_paths=(d,))
        )
    )
    t.start()
    for _ in range(1200):
        if (d / "listening").exists() or not t.is_alive():
            break
        time.sleep(0.05)
    reached = False
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=3):
        reached = True
    t.join(60)
    assert result and "listening" in {p.name for p in d.iterdir()}, result
    assert not reached and result[0].stdout.startswith("nobody"), result[0].stdout


OUTBOUND = r"""
import socket, sys
names = sorted(n for _, n in socket.if_nameindex())
print("ifaces", ",".join(names))
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
socket.create_connection(srv.getsockname(), timeout=5)
print("own loopback ok")
try:
    print("resolved", bool(socket.getaddrinfo(sys.argv[1], 80, socket.AF_INET)))
except OSError as e:
    print("resolved", False, e)
"""


def test_the_network_still_works_outbound() -> None:
    """--allow-net keeps its purpose: an interface besides lo, its own loopback, and names
    resolve inside whenever they resolve on the host (through slirp's DNS forwarder)."""
    name = "deb.debian.org"
    try:
        socket.getaddrinfo(name, 80, socket.AF_INET)
        host_resolves = True
    except OSError:
        host_resolves = False
    for run_in in (inside, worker):
        out = run_in(OUTBOUND, name, allow_net=True)
        assert "own loopback ok" in out.stdout, out.stderr[-2000:]
        ifaces = out.stdout.split("\n")[0].split()[1].split(",")
        assert "lo" in ifaces and len(ifaces) >= 2, out.stdout
        if host_resolves:
            assert "resolved True" in out.stdout, out.stdout


SLIRP_ALIASES = r"""
import socket, sys, time
tcp, udp = int(sys.argv[1]), int(sys.argv[2])
for h in ("10.0.2.3", "10.0.2.2", "10.0.2.255", "255.255.255.255"):
    try:
        s = socket.create_connection((h, tcp), timeout=5)
        print("tcp", h, "reached", s.recv(100).decode())
    except OSError as e:
        print("tcp", h, "held", e.errno)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        u.sendto(b"x", (h, udp))
    except OSError as e:
        print("udp", h, "held", e.errno)
time.sleep(1)
"""


def test_slirp_addresses_do_not_lead_to_the_host_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """slirp's gateway (10.0.2.2) is the host's 127.0.0.1 unless --disable-host-loopback, and
    its DNS address (10.0.2.3) forwards to the host's resolver, 127.0.0.1 itself where the host
    runs one (or names none): here slirp4netns sees a resolv.conf naming 127.0.0.1, and no
    port but DNS's may lead there (libslirp >= 4.7 forwards only port 53)."""
    assert os.geteuid() == 0, "the probe mounts a resolv.conf for slirp4netns (CI runs as root)"
    (tmp_path / "resolv.conf").write_text("nameserver 127.0.0.1\n")
    real = shutil.which("slirp4netns")
    assert real
    wrapper = tmp_path / "slirp4netns"
    wrapper.write_text(
        '#!/bin/sh\nexec unshare -m sh -c \'mount --bind "$0" /etc/resolv.conf && exec '
        f'{real} "$@"\' {tmp_path / "resolv.conf"} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    with host_services("127.0.0.1") as (tcp, udp, got):
        res = inside(SLIRP_ALIASES, str(tcp), str(udp), allow_net=True)
        time.sleep(0.5)
    assert "tcp 10.0.2.3" in res.stdout, res.stderr[-2000:]
    assert "reached" not in res.stdout and not got, (res.stdout, got)


def test_allow_net_fails_closed_without_slirp4netns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the user-mode network (slirp4netns), --allow-net is refused: never the host's
    network namespace."""
    real = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda n, *a, **k: None if n == "slirp4netns" else real(n, *a, **k)
    )
    with pytest.raises(SandboxUnavailable, match="slirp4netns"):
        run(["/bin/true"], SandboxPolicy(allow_net=True, wall_seconds=30))


# -- writable binds: a total bound by default ---------------------------------------------------
# paced (10 ms a file): the quota is polled (every 0.2 s), this checks that it applies, not
# how fast; a fast writer overshoots by what it writes between two polls
FILL = r"""
import sys, time
for i in range(int(sys.argv[2])):
    with open(f"{sys.argv[1]}/f{i}", "wb") as f:
        f.write(b"x" * (1 << 20))
    time.sleep(0.01)
print("wrote all")
"""


def test_cli_rw_binds_have_a_total_quota(tmp_path: Path) -> None:
    """main: `sandbox run --rw` watched nothing (only RLIMIT_FSIZE per file)."""
    d = tmp_path / "x"
    d.mkdir()
    runner.grant(d)
    env = {**os.environ, "PYTHONPATH": SRC}
    cmd = [sys.executable, "-m", "airlock", "sandbox", "run", "--rw", str(d), "--rw-quota-mb", "8",
           "--allow-exec", "--", PY, "-I", "-c", FILL, str(d), "400"]  # fmt: skip
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert "wrote all" not in r.stdout and r.returncode != 0, (r.returncode, r.stderr[-2000:])
    assert "wrote more than 8 MB" in r.stderr, r.stderr[-2000:]
    assert runner.rw_usage([d]) < 200 << 20
    from airlock.sandbox.runner import SandboxPolicy as P

    assert P().rw_quota_mb > 0  # the default bounds a library caller's binds too


def test_a_long_lived_worker_is_held_to_the_quota(tmp_path: Path) -> None:
    """main: the long-lived service workers were never watched at all."""
    from airlock.sandbox.service import SandboxedService, ServiceError

    d = tmp_path / "x"
    d.mkdir()
    runner.grant(d)
    boot = (
        "import time\n"
        "def handle(req):\n"
        "    for i in range(req['n']):\n"
        "        with open(f\"{req['d']}/f{i}\", 'wb') as f:\n"
        "            f.write(b'x' * (1 << 20))\n"
        "        time.sleep(0.01)\n"
        "    return 'wrote all'\n"
    )
    pol = SandboxPolicy(rw_paths=(d,), rw_quota_mb=8, wall_seconds=120)  # type: ignore[call-arg]
    svc = SandboxedService(boot, pol, name="quota probe")
    try:
        svc.start()
        with pytest.raises(ServiceError, match="wrote more than 8 MB"):
            svc.call({"n": 300, "d": str(d)}, timeout_s=120)
    finally:
        svc.close()
    assert runner.rw_usage([d]) < 200 << 20


UNLINKED = r"""
import mmap, os, sys, time
d, how = sys.argv[1], sys.argv[2]
held = []
for i in range(24):  # 24 x 4 MB, none of them with a name in the bind
    if how == "tmpfile":
        fd = os.open(d, os.O_TMPFILE | os.O_RDWR, 0o600)
    else:
        fd = os.open(f"{d}/g{i}", os.O_CREAT | os.O_RDWR, 0o600)
        os.unlink(f"{d}/g{i}")
    for _ in range(4):
        os.write(fd, b"x" * (1 << 20))
    if how == "mapped":  # only a mapping keeps it
        held.append(mmap.mmap(fd, 4 << 20))
        os.close(fd)
    else:
        held.append(fd)
    time.sleep(0.02)
print("held all")
time.sleep(2)
"""


@pytest.mark.parametrize("how", ["unlinked", "tmpfile", "mapped"])
def test_files_held_without_a_name_count_towards_the_quota(tmp_path: Path, how: str) -> None:
    """The quota walked the binds' directories: a file unlinked while open (or mapped), or
    made unnamed with O_TMPFILE, holds disk no walk sees (main and sbx21: 96 MB held at a
    quota of 8, and up to RLIMIT_NOFILE x RLIMIT_FSIZE in general)."""
    d = tmp_path / "x"
    d.mkdir()
    runner.grant(d)
    pol = SandboxPolicy(rw_paths=(d,), rw_quota_mb=8, wall_seconds=120)  # type: ignore[call-arg]
    res = run_python(UNLINKED, pol, [str(d), how])
    assert res.over_quota and b"held all" not in res.stdout, (res.returncode, res.stderr[-800:])
    honest = run_python(UNLINKED.replace("range(24)", "range(1)"), pol, [str(d), how])
    assert not honest.over_quota and b"held all" in honest.stdout, honest.stderr[-800:]


# -- never uid 0 ------------------------------------------------------------------------------
def test_a_root_caller_without_a_user_namespace_for_the_sandbox_uid_is_refused() -> None:
    """main: where the kernel (here: a user namespace mapping only uid 0, as in a container
    started with `unshare -r`) refuses a namespace for uid 65534, the sandbox ran as uid 0."""
    unshare = shutil.which("unshare")
    assert unshare, "util-linux unshare is needed for this probe"
    env = {**os.environ, "PYTHONPATH": SRC}
    cmd = [unshare, "--user", "--map-root-user", sys.executable, "-m", "airlock", "sandbox", "run",
           "--allow-exec", "--", "/usr/bin/id", "-u"]  # fmt: skip
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert r.stdout.strip() != "0", (r.stdout, r.stderr[-2000:])
    assert r.returncode == 2 and "uid 65534" in r.stderr, (r.returncode, r.stderr[-2000:])


def test_binds_past_the_watch_entries_are_refused_not_unbounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review22: the quota's baseline is the binds' usage before the start; past
    MAX_WATCH_ENTRIES that reads inf, so the limit was inf and nothing was over it (a bind
    holding 100,001 empty files: 40 MB written at a quota of 8, exit 0). Refused instead."""
    from airlock.errors import UsageError

    monkeypatch.setattr(runner, "MAX_WATCH_ENTRIES", 50)
    d = tmp_path / "x"
    (d / "pre").mkdir(parents=True)
    for i in range(60):
        (d / "pre" / f"e{i}").touch()
    runner.grant(d)
    for p in (d / "pre", *(d / "pre").iterdir()):
        os.chown(p, runner.SANDBOX_UID, -1)
    pol = SandboxPolicy(rw_paths=(d,), rw_quota_mb=8, wall_seconds=120)  # type: ignore[call-arg]
    with pytest.raises(UsageError, match="cannot be watched"):
        run_python(FILL, pol, [str(d), "40"])
    assert not list(d.glob("f*"))  # nothing ran


ROUTE_TABLE = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
    "eth1\t00000000\t010011AC\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    "eth2\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n"
    "bad\t00000000\tzz\t0003\n"
)


def test_host_gateways_are_read_from_the_route_table() -> None:
    """A container's default gateway (172.17.0.1 under Docker) is the machine running it:
    listed once, device routes without a gateway and garbage lines left out."""
    from airlock.sandbox import netns

    assert netns.host_gateways(ROUTE_TABLE) == ["172.17.0.1"]
    assert netns.host_gateways("Iface\tDestination\n") == []


def test_blocked_routes_hold_each_destination_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A duplicate route would make the route table refuse it, and --allow-net with it."""
    from airlock.sandbox import netns

    monkeypatch.setattr(netns, "host_addresses", lambda: ["172.17.0.1", "10.1.2.3"])
    monkeypatch.setattr(netns, "host_gateways", lambda: ["172.17.0.1", "10.9.9.9"])
    got = netns.blocked_routes()
    assert len(got) == len(set(got))
    for want in (("172.17.0.1", 32), ("10.9.9.9", 32), netns.LINK_LOCAL,
                 ("100.100.100.200", 32)):  # fmt: skip
        assert want in got


GATEWAY_PROBE = r"""
import socket, sys
for h in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((h, 80))
        print(h, "reached")
    except OSError as e:
        print(h, "errno", e.errno)
"""


def test_the_host_gateway_and_metadata_addresses_are_prohibited_routes() -> None:
    """Connecting to the host's default gateway or a metadata address from an --allow-net
    sandbox fails at once with EACCES (a prohibited route inside its namespace), never reaching
    slirp's NAT."""
    import errno

    from airlock.sandbox import netns

    targets = [*netns.host_gateways(), "100.100.100.200", "169.254.169.254"]
    out = inside(GATEWAY_PROBE, *targets, allow_net=True)
    assert out.returncode == 0, out.stderr[-2000:]
    for h in targets:
        assert f"{h} errno {errno.EACCES}" in out.stdout, out.stdout
