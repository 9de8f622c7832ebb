"""Sign-in lock-outs behind proxies: django-axes must lock the attacker's own address (read from
X-Forwarded-For, counting DJANGO_PROXY_COUNT proxies from the right), not the proxy's, or five
wrong passwords from anyone would lock a username out for everyone."""

import pytest

from scrutiny.env import client_address_settings

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
INNER_PROXY = "10.0.0.2"
ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.7"


def sign_in(client, *, remote_addr, forwarded_for=None, password="password"):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/sign-in/", {"username": "councillor", "password": password}, **headers)


@pytest.fixture
def behind_proxies(settings):
    def configure(count: int):
        for name, value in client_address_settings(count).items():
            setattr(settings, name, value)

    return configure


def test_behind_one_proxy_the_attacker_is_locked_and_the_real_user_still_signs_in(
    client, councillor, behind_proxies
):
    behind_proxies(1)
    for _ in range(5):
        sign_in(client, remote_addr=PROXY, forwarded_for=ATTACKER, password="wrong")

    assert sign_in(client, remote_addr=PROXY, forwarded_for=ATTACKER).status_code == 429
    signed_in = sign_in(client, remote_addr=PROXY, forwarded_for=REAL_USER)
    assert signed_in.status_code == 302
    assert client.get("/reviews/").status_code == 200


def test_addresses_an_attacker_writes_into_the_header_do_not_free_them(
    client, councillor, behind_proxies
):
    behind_proxies(1)
    for n in range(5):
        # The proxy appends the attacker's real address after whatever they sent.
        spoofed = f"192.0.2.{n}, {ATTACKER}"
        sign_in(client, remote_addr=PROXY, forwarded_for=spoofed, password="wrong")

    locked = sign_in(client, remote_addr=PROXY, forwarded_for=f"192.0.2.99, {ATTACKER}")
    assert locked.status_code == 429
    assert sign_in(client, remote_addr=PROXY, forwarded_for=REAL_USER).status_code == 302


def test_behind_two_proxies_the_client_is_the_second_address_from_the_right(
    client, councillor, behind_proxies
):
    behind_proxies(2)
    for _ in range(5):
        sign_in(
            client,
            remote_addr=PROXY,
            forwarded_for=f"{ATTACKER}, {INNER_PROXY}",
            password="wrong",
        )

    assert (
        sign_in(client, remote_addr=PROXY, forwarded_for=f"{ATTACKER}, {INNER_PROXY}").status_code
        == 429
    )
    assert (
        sign_in(client, remote_addr=PROXY, forwarded_for=f"{REAL_USER}, {INNER_PROXY}").status_code
        == 302
    )


def test_with_no_proxy_a_forwarded_for_header_is_ignored(client, councillor, behind_proxies):
    behind_proxies(0)
    for n in range(5):
        sign_in(client, remote_addr=ATTACKER, forwarded_for=f"192.0.2.{n}", password="wrong")

    # Sending yet another made-up address does not escape the lock on the attacker's own.
    assert sign_in(client, remote_addr=ATTACKER, forwarded_for="192.0.2.99").status_code == 429
    assert sign_in(client, remote_addr=REAL_USER).status_code == 302


def test_a_negative_proxy_count_is_refused_with_its_name():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DJANGO_PROXY_COUNT"):
        client_address_settings(-1)
