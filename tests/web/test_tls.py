"""HTTPS through pinned addresses: the certificate is still checked against the host name."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.fetcher import SafeFetcher
from briefing.errors import FetchError
from web.conftest import Site, running

NAME = "meridian.test"  # .test never resolves: only our resolver knows it

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI")


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway CA and a certificate for meridian.test signed by it."""
    d = tmp_path_factory.mktemp("tls")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=briefbot test CA", "-keyout", "ca.key", "-out", "ca.pem", cwd=d)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={NAME}",
            "-keyout", "leaf.key", "-out", "leaf.csr", cwd=d)
    (d / "ext.cnf").write_text(f"subjectAltName=DNS:{NAME}\n")
    openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "leaf.pem", cwd=d)
    return d


@pytest.fixture
def tls_site(certs: Path) -> Iterator[Site]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / "leaf.pem", certs / "leaf.key")
    with running(Site(host=NAME, scheme="https"), tls=context) as site:
        yield site


def fetcher_for(certs: Path, *names: str) -> SafeFetcher:
    trust = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    return SafeFetcher(allow_hosts=names, verify=trust,
                       resolver=lambda host, port: ["127.0.0.1"])


def test_https_to_a_pinned_address_verifies_the_certificate_for_the_name(
        tls_site: Site, certs: Path) -> None:
    with fetcher_for(certs, NAME) as fetcher:
        answer = fetcher.fetch(tls_site.url("/articles/geneva-talks.html"))
    assert answer.status == 200
    assert answer.url == f"https://{NAME}:{tls_site.port}/articles/geneva-talks.html"
    assert b"Envoys to meet in Geneva" in answer.body


def test_certificate_for_another_name_on_the_same_address_is_rejected(
        tls_site: Site, certs: Path) -> None:
    other = "impostor.test"
    with fetcher_for(certs, other) as fetcher, pytest.raises(
            FetchError, match=r"could not reach impostor\.test: its TLS certificate is not valid"):
        fetcher.fetch(f"https://{other}:{tls_site.port}/articles/geneva-talks.html")
    assert tls_site.requests == []
