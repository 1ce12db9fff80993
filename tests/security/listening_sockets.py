"""Which addresses a process listens on, read from Linux's /proc (no traffic is sent).

A listener is found by its socket inode, so the answer is about the process we
started, not about whatever else may hold the port.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

LISTEN = "0A"  # TCP state code in /proc/net/tcp*


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed while we looked
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _address(hex_ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    raw = bytes.fromhex(hex_ip)
    if len(raw) == 4:  # one little-endian 32-bit word
        return ipaddress.IPv4Address(socket.inet_ntop(socket.AF_INET, raw[::-1]))
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return ipaddress.IPv6Address(socket.inet_ntop(socket.AF_INET6, words))


def listening_addresses(pid: int, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every local address that process ``pid`` accepts TCP connections on at ``port``."""
    inodes = _socket_inodes(pid)
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            hex_ip, hex_port = local.split(":")
            if state == LISTEN and int(hex_port, 16) == port and inode in inodes:
                found.append(_address(hex_ip))
    return found


def is_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return address.is_loopback or bool(mapped and mapped.is_loopback)
