"""The network of an ``allow_net`` sandbox: a network namespace of its own behind slirp4netns.

Sharing the host's network namespace (what ``allow_net`` did up to session 20) gives the sandbox
the host's loopback, where databases, brokers and caches trust every connection, and its ports
to listen on; Landlock's TCP rules can only deny ports, seccomp cannot read a ``connect``
address, and the host's services come and go. So the sandbox keeps the fresh namespace
bubblewrap makes (its own loopback), and slirp4netns, a user-mode TCP/IP stack running on the
host, gives it a ``tap0`` interface with outbound NAT through ordinary host sockets:

- ``--disable-host-loopback``: slirp's gateway (10.0.2.2) does not lead to the host's 127.0.0.1;
  the sandbox's own 127.0.0.1 is its own loopback.
- the host's own addresses (every local IPv4 address of the host namespace but loopback), its
  default gateways (under a container runtime: the machine running it), 169.254.0.0/16
  (link-local: cloud metadata services) and 100.100.100.200 (Alibaba Cloud's metadata) are
  prohibited routes inside the namespace, added before the command starts; the sandbox holds
  no capability to remove them.
- nothing is forwarded into the namespace (no API socket): the sandbox cannot listen on the
  host; IPv6 is off (slirp4netns without ``--enable-ipv6``).
- slirp4netns runs with its seccomp filter (and, for a root caller, its mount-namespace sandbox
  without capabilities), and exits when the runner closes its exit pipe (or dies).

Without slirp4netns (Debian package ``slirp4netns``) ``allow_net`` is refused: never the
host's namespace.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import selectors
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from airlock.errors import AirlockError

SLIRP_DNS = "10.0.2.3"
RESOLV_CONF = f"nameserver {SLIRP_DNS}\n"
LINK_LOCAL = ("169.254.0.0", 16)
# metadata services outside link-local (Alibaba Cloud's; the others answer on 169.254.169.254)
METADATA = (("100.100.100.200", 32),)
RTF_GATEWAY = 0x2
READY_TIMEOUT_S = 30.0
NS_GET_USERNS = 0xB701  # ioctl: the user namespace owning a namespace


class NetworkUnavailable(AirlockError):
    """The sandbox's own network could not be set up."""


def slirp_path() -> str | None:
    return shutil.which("slirp4netns")


def host_addresses() -> list[str]:
    """The host namespace's own IPv4 addresses but loopback (LOCAL entries of the kernel's
    routing trie, /proc/net/fib_trie)."""
    found: list[str] = []
    last = ""
    try:
        with open("/proc/net/fib_trie") as f:
            for line in f:
                s = line.strip()
                if s.startswith("|--"):
                    last = s[3:].strip()
                elif s.endswith("host LOCAL") and last and not last.startswith("127."):
                    if last not in found:
                        found.append(last)
    except OSError as e:
        raise NetworkUnavailable(f"cannot read the host's addresses: {e}") from e
    return found


def host_gateways(route_table: str | None = None) -> list[str]:
    """The host namespace's IPv4 default gateways (``/proc/net/route``). Under a container
    runtime the gateway is the machine running the container, whose services listen on that
    bridge address and trust it; reaching the internet through slirp never needs to connect to
    the gateway itself."""
    if route_table is None:
        try:
            with open("/proc/net/route") as f:
                route_table = f.read()
        except OSError as e:
            raise NetworkUnavailable(f"cannot read the host's routes: {e}") from e
    found: list[str] = []
    for line in route_table.splitlines()[1:]:
        cols = line.split()
        if len(cols) < 4 or cols[1] != "00000000":
            continue
        try:
            gw, flags = int(cols[2], 16), int(cols[3], 16)
        except ValueError:
            continue
        addr = socket.inet_ntoa(struct.pack("<I", gw & 0xFFFFFFFF))
        if flags & RTF_GATEWAY and gw and addr not in found:
            found.append(addr)
    return found


def blocked_routes() -> list[tuple[str, int]]:
    """Destinations the sandbox may not reach through slirp: the host's own addresses, its
    default gateways, link-local (cloud metadata) and the other metadata addresses; each once
    (the route table refuses a duplicate, which would refuse ``allow_net``)."""
    want = [(a, 32) for a in (*host_addresses(), *host_gateways())] + [LINK_LOCAL, *METADATA]
    return list(dict.fromkeys(want))


# Run on the host by the runner (``python -I -S -c ROUTES cfg``), before the command starts:
# enters the sandbox's network namespace (for a caller who is not root, first the user namespace
# that owns it, passed as a descriptor: bubblewrap nests the sandbox's own user namespace inside
# it) and adds a prohibited route (connect/sendto: EACCES) for each host address. Exit 0 only if
# every route was added.
ROUTES = r"""
import ctypes, json, os, socket, struct, sys
cfg = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
fds = [("user", cfg["userns_fd"])] if cfg["userns_fd"] >= 0 else []
for kind, fd in fds + [("net", cfg["netns_fd"])]:
    if libc.setns(fd, 0) != 0:
        sys.exit("setns %s: %s" % (kind, os.strerror(ctypes.get_errno())))
    os.close(fd)
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
nl.bind((0, 0))
for seq, (addr, plen) in enumerate(cfg["routes"], 1):
    dst = socket.inet_aton(addr)
    rta = struct.pack("HH", 8, 1) + dst  # RTA_DST
    # rtmsg: AF_INET, dst_len, src_len, tos, RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_UNIVERSE,
    # RTN_PROHIBIT, flags
    body = struct.pack("BBBBBBBBI", socket.AF_INET, plen, 0, 0, 254, 4, 0, 8, 0) + rta
    # RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE
    nl.send(struct.pack("IHHII", 16 + len(body), 24, 0x1 | 0x4 | 0x200 | 0x400, seq, 0) + body)
    ack = nl.recv(65536)
    mtype, = struct.unpack_from("H", ack, 4)
    err, = struct.unpack_from("i", ack, 16)
    if mtype != 2 or err != 0:  # NLMSG_ERROR carrying 0 is the ACK
        sys.exit("route %s/%d: %s" % (addr, plen, os.strerror(-err)))
"""


@dataclass
class Net:
    """The runner's side of one sandbox's network: bubblewrap's info pipe and block pipe (our
    ends, and bubblewrap's until it has started), the resolv.conf it binds, then the
    slirp4netns process and its exit pipe."""

    info_r: int
    block_w: int
    child_fds: tuple[int, ...] = ()
    slirp: subprocess.Popen[bytes] | None = None
    exit_w: int = -1
    closed: bool = field(default=False)

    def close_child_fds(self) -> None:
        """Close bubblewrap's ends (once it has started: it holds its own copies)."""
        for fd in self.child_fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.child_fds = ()

    def close(self) -> None:
        """Stop slirp4netns (closing its exit pipe, then SIGKILL) and close the pipes."""
        if self.closed:
            return
        self.closed = True
        self.close_child_fds()
        for fd in (self.info_r, self.block_w, self.exit_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        if self.slirp is not None:
            with contextlib.suppress(OSError):
                self.slirp.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.slirp.wait(timeout=10)


def child_pid(fd: int, deadline: float) -> tuple[int, int]:
    """bubblewrap's sandbox process and its network namespace, from its ``--info-fd`` JSON."""
    buf = b""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                info = json.loads(buf)
                pid, ns = info["child-pid"], info["net-namespace"]
                if isinstance(pid, int) and pid > 0 and isinstance(ns, int):
                    return pid, ns
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise NetworkUnavailable("bubblewrap did not report its sandbox process")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise NetworkUnavailable("bubblewrap exited before its sandbox process started")
            buf += chunk


def attach(net: Net, python: str) -> None:
    """Give bubblewrap's sandbox (still blocked before its command) its network, then let the
    command start. Raises NetworkUnavailable (the caller kills the sandbox) on any failure."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    pid, ns = child_pid(net.info_r, deadline)
    netns, userns = -1, -1
    try:
        netns = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        if os.fstat(netns).st_ino != ns:  # the pid is not bubblewrap's child any more
            raise NetworkUnavailable("the sandbox's process went away before its network was set")
        if os.geteuid() != 0:  # (root, its namespaces' owner, enters the network one directly)
            userns = fcntl.ioctl(netns, NS_GET_USERNS)
        _routes(netns, userns, python, deadline)
        _slirp(net, netns, userns, deadline)
    except OSError as e:
        raise NetworkUnavailable(f"cannot reach the sandbox's namespaces: {e}") from e
    finally:
        for fd in (netns, userns):
            if fd >= 0:
                os.close(fd)
    os.write(net.block_w, b"1")


def _routes(netns: int, userns: int, python: str, deadline: float) -> None:
    routes = blocked_routes()
    cfg = json.dumps({"netns_fd": netns, "userns_fd": userns, "routes": routes})
    fds = (netns, userns) if userns >= 0 else (netns,)
    try:
        r = subprocess.run(
            [python, "-I", "-S", "-c", ROUTES, cfg], capture_output=True, check=False,
            timeout=max(deadline - time.monotonic(), 1), pass_fds=fds,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as e:
        raise NetworkUnavailable(f"could not add the sandbox's routes: {e}") from e
    if r.returncode != 0:
        said = r.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        raise NetworkUnavailable(f"could not add the sandbox's routes: {said[0]}")


def _slirp(net: Net, netns: int, userns: int, deadline: float) -> None:
    slirp = slirp_path()
    if slirp is None:
        raise NetworkUnavailable("slirp4netns is not installed (Debian package slirp4netns)")
    ready_r, ready_w = os.pipe()
    exit_r, net.exit_w = os.pipe()
    argv = [slirp, "--configure", "--mtu=65520", "--disable-host-loopback", "--enable-seccomp",
            f"--ready-fd={ready_w}", f"--exit-fd={exit_r}"]  # fmt: skip
    passed: tuple[int, ...] = (ready_w, exit_r, netns)
    if userns < 0:
        # root: its own mount namespace, every capability dropped; a caller who is not root runs
        # it as itself (its sandbox wants gid 0 mapped, which bubblewrap's namespace is not)
        argv.append("--enable-sandbox")
    else:
        argv.append(f"--userns-path=/proc/self/fd/{userns}")
        passed += (userns,)
    argv += ["--netns-type=path", f"/proc/self/fd/{netns}", "tap0"]
    with tempfile.TemporaryFile() as log:  # (a pipe nobody reads would block or kill it)
        try:
            net.slirp = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                pass_fds=passed, start_new_session=True,
            )  # fmt: skip
        except OSError as e:
            raise NetworkUnavailable(f"could not start slirp4netns: {e}") from e
        finally:
            os.close(ready_w)
            os.close(exit_r)
        try:
            ok = _wait_ready(ready_r, deadline)
        finally:
            os.close(ready_r)
        if not ok:
            log.seek(0)
            text = log.read()[-2000:].decode("utf-8", "replace").strip().splitlines()
            lines = [x for x in text if x and not x.startswith("WARNING")]
            why = "; ".join(lines[-3:]) or "no answer"
            raise NetworkUnavailable(f"slirp4netns did not set up the sandbox's network: {why}")


def _wait_ready(fd: int, deadline: float) -> bool:
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        left = deadline - time.monotonic()
        return left > 0 and bool(sel.select(left)) and os.read(fd, 1) == b"1"
