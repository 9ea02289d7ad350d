"""IANA's special-purpose ranges that Python 3.11 counts as global are refused all the same,
written as IPv4, as IPv4-mapped IPv6 and as NAT64; the two global exceptions pass."""

from __future__ import annotations

import ipaddress

import pytest

from bot.fetcher import SafeFetcher, address_problem
from briefing.errors import FetchError

NOT_GLOBAL_V4 = [
    "192.0.0.8",  # IPv4 dummy address (RFC 7600)
    "192.0.0.11", "192.0.0.100", "192.0.0.169", "192.0.0.172", "192.0.0.255",  # 192.0.0.0/24
    "192.0.0.170", "192.0.0.171",  # NAT64/DNS64 discovery (the stdlib knows these)
    "192.0.0.0", "192.0.0.7",  # IPv4 service continuity prefix (the stdlib knows these)
    "192.88.99.1",  # deprecated 6to4 relay anycast (RFC 7526)
    "198.18.0.1", "198.19.255.254",  # benchmarking, 198.18.0.0/15
    "100.64.0.1", "100.127.255.254",  # shared address space, 100.64.0.0/10
    "192.0.2.1", "198.51.100.1", "203.0.113.1",  # documentation
    "0.1.2.3", "255.255.255.255", "240.0.0.1",
]
NOT_GLOBAL_V6 = ["3fff::1", "5f00::1", "64:ff9b:1::c000:8", "2001:db8::1", "100::1"]


@pytest.mark.parametrize("address", NOT_GLOBAL_V4)
def test_special_purpose_ipv4_is_refused_in_every_form(address: str) -> None:
    v4 = ipaddress.IPv4Address(address)
    mapped = f"::ffff:{address}"
    nat64 = str(ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(v4)))
    for form in (address, mapped, nat64):
        assert address_problem(form) is not None, form


@pytest.mark.parametrize("address", NOT_GLOBAL_V6)
def test_special_purpose_ipv6_is_refused(address: str) -> None:
    assert address_problem(address) is not None


@pytest.mark.parametrize("address", ["192.0.0.9", "192.0.0.10",
                                     "192.31.196.1", "192.52.193.1", "192.175.48.1",
                                     "2620:4f:8000::1", "93.184.216.34"])
def test_globally_reachable_special_purpose_addresses_pass(address: str) -> None:
    assert address_problem(address) is None


def test_a_name_resolving_into_192_0_0_0_24_is_refused_before_any_connection() -> None:
    with SafeFetcher(resolver=lambda host, port: ["192.0.0.8"]) as fetcher, pytest.raises(
            FetchError, match=r"news\.example resolves to a non-public address \(192\.0\.0\.8\)"):
        fetcher.fetch("https://news.example/feed.xml")
