"""Without a configured key, the platform makes its signing pair once and reuses it."""

import stat
import threading

from cryptography import x509

from socle.demarches.documents import signing_certificate_pem, signing_files


def test_it_creates_the_pair_once_privately_and_reuses_it(documents_env, settings):
    settings.DEMARCHES_SIGNING_KEY_FILE = settings.DEMARCHES_SIGNING_CERT_FILE = None
    settings.SITE_NAME = "Gironde numérique"
    found: list = []
    threads = [threading.Thread(target=lambda: found.append(signing_files())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bundle = found[0].key
    assert {f.key for f in found} == {bundle}
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert [p.name for p in bundle.parent.iterdir()] == [bundle.name]  # no leftovers
    content = bundle.read_bytes()
    assert b"PRIVATE KEY" in content

    cert = x509.load_pem_x509_certificate(signing_certificate_pem())
    [common_name] = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    assert common_name.value == "Gironde numérique — documents"
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days >= 3650

    assert signing_files().key == bundle
    assert bundle.read_bytes() == content


def test_it_signs_with_the_configured_pair(documents_env, settings, tmp_path):
    settings.DEMARCHES_SIGNING_KEY_FILE = str(tmp_path / "cle.pem")
    settings.DEMARCHES_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")
    files = signing_files()
    assert str(files.key) == settings.DEMARCHES_SIGNING_KEY_FILE
    assert not (documents_env / "signature").exists()
