"""A webhook may not reach a private IPv4 address through an IPv6 form that carries it
(IPv4-mapped, IPv4-compatible, 6to4, Teredo, NAT64), nor a site-local or other non-global IPv6
address; the same forms of a public IPv4 address are judged as that address."""

import ipaddress

import pytest
from django.core.exceptions import ValidationError

from socle.demarches.webhooks import _allowed_ip, url_check

REFUSED = [
    "::ffff:10.0.0.1",  # IPv4-mapped
    "::ffff:127.0.0.1",
    "::127.0.0.1",  # IPv4-compatible
    "::a00:1",
    "::1",
    "::",
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "2001:0:a00:1:8000:63bf:f7f7:f7f7",  # Teredo through a private relay (10.0.0.1)
    "64:ff9b::a00:1",  # NAT64 well-known prefix, 10.0.0.1
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::a00:1",  # NAT64 local-use prefix
    "64:ff9b:1:a00:1::",  # … with a /48 operator prefix (RFC 6052 layout)
    "64:ff9b:1:ff0a:0:1::",  # … /56
    "fec0::1",  # site-local
    "fc00::1",  # unique local
    "fe80::1",  # link-local
    "ff02::1",  # multicast
    "2001:db8::1",  # documentation
    "100::1",  # discard-only
]
ALLOWED = [
    "2a00:1450:4007:80e::200e",  # plain global IPv6
    "::ffff:8.8.8.8",
    "2002:808:808::1",  # 6to4 of 8.8.8.8
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7",  # Teredo: relay 65.54.227.120, client 8.8.8.8
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
]


@pytest.mark.parametrize("address", REFUSED)
def test_it_refuses_every_form_of_a_non_public_address(address):
    assert not _allowed_ip(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_it_accepts_the_forms_of_a_public_address(address):
    assert _allowed_ip(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["64:ff9b::a00:1", "2002:a00:1::1", "fec0::1", "::127.0.0.1"])
def test_a_webhook_address_in_these_forms_is_refused(settings, address):
    settings.DEMARCHES_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        url_check(f"https://[{address}]/hook")
    assert "réseau privé ou local" in refused.value.message_dict["url"][0]
