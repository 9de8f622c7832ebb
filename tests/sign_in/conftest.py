import pytest

from tests.sign_in.provider import Provider


@pytest.fixture(scope="session")
def provider_process(tmp_path_factory):
    """One provider for the session, sending browsers back to the test client's host."""
    provider = Provider(tmp_path_factory.mktemp("oidc-provider"), ["http://testserver"])
    yield provider
    provider.stop()


@pytest.fixture
def provider(provider_process, settings, db):
    """The provider with nobody at it yet, and the application set up to sign in through it
    (groups mapped to roles as provider.GROUP_ROLES says)."""
    provider_process.set_accounts()
    for name, value in provider_process.settings().items():
        setattr(settings, name, value)
    return provider_process
