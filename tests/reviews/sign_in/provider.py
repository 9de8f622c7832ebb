"""A real OpenID Connect provider for the tests (oidc_provider/provider.mjs on Node), and a way to
sign in through it without a browser.

Where Node or the npm package is missing the tests skip, except under REQUIRE_BROWSER_TESTS or CI,
where that fails the run (as the browser tests do).
"""

import html
import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

PROJECT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).resolve().parent / "oidc_provider" / "provider.mjs"
CLIENT_ID = "scrutiny-tracker"
CLIENT_SECRET = "a-client-secret-for-the-tests"
CALLBACK_PATH = "/sign-in/provider/callback/"
SIGNED_OUT_PATH = "/sign-in/provider/signed-out/"
# The provider's groups and the roles the tests map them to.
GROUP_ROLES = {
    "grp-councillors": "Councillor",
    "grp-officers": "Officer",
    "grp-scrutiny": "Scrutiny officer",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def node_or_skip() -> str:
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "Node.js not found: install it to run the OpenID Connect tests"
    elif not (PROJECT / "node_modules" / "oidc-provider").exists():
        problem = "node_modules/oidc-provider is missing: run `make setup` (npm ci)"
    if problem:
        if os.environ.get("REQUIRE_BROWSER_TESTS") or os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    return node


class Provider:
    """One provider process on 127.0.0.1 with its accounts file."""

    def __init__(self, folder: Path, app_urls: list[str]):
        self.folder = folder
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = folder / "accounts.json"
        self.set_accounts()
        client_file = folder / "client.json"
        client_file.write_text(
            json.dumps(
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [url + CALLBACK_PATH for url in app_urls],
                    "post_logout_redirect_uris": [url + SIGNED_OUT_PATH for url in app_urls],
                }
            )
        )
        self.log = (folder / "provider.log").open("w")
        self.process = subprocess.Popen(
            [node_or_skip(), str(SCRIPT), str(self.port), str(self.accounts_file), client_file],
            cwd=PROJECT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_it_answers()

    def _wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the provider stopped: {self.read_log()}")
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the provider did not answer within 20 seconds: {self.read_log()}")

    def read_log(self) -> str:
        self.log.flush()
        return (self.folder / "provider.log").read_text()

    def set_accounts(self, *accounts: dict) -> None:
        """The provider's people, read again at every sign-in."""
        self.accounts_file.write_text(json.dumps(list(accounts)))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def settings(self) -> dict:
        """The application's settings for this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_NAME": "Council Login",
            "OIDC_GROUP_ROLES": GROUP_ROLES,
        }


def account(sub: str, *groups: str, **claims) -> dict:
    """A person at the provider: `account("jane", "grp-officers", email=…)`."""
    return {
        "sub": sub,
        "email": f"{sub}@durham.example.gov.uk",
        "name": f"{sub.title()} Example",
        "given_name": sub.title(),
        "family_name": "Example",
        "preferred_username": f"{sub}@durham.example.gov.uk",
        "groups": list(groups),
        **claims,
    }


def _form(page: str) -> tuple[str, str]:
    action = re.search(r'<form[^>]*action="([^"]+)"', page)
    prompt = re.search(r'name="prompt" value="([^"]+)"', page)
    assert action and prompt, page
    return html.unescape(action.group(1)), prompt.group(1)


def through_provider(authorisation_url: str, sub: str, *, app_url: str, cancel=False) -> str:
    """Sign in as `sub` at the provider's own pages (login, then consent), as a browser would,
    and return the address the provider sends the browser back to on the application."""
    browser = requests.Session()
    response = browser.get(authorisation_url, allow_redirects=False, timeout=10)
    url = authorisation_url
    for _ in range(20):
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(app_url):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
            continue
        assert response.status_code == 200, response.text
        if cancel:
            abort = re.search(r'<a href="([^"]+/abort)"', response.text)
            assert abort, response.text
            url = urljoin(url, html.unescape(abort.group(1)))
            response = browser.get(url, allow_redirects=False, timeout=10)
            continue
        action, prompt = _form(response.text)
        fields = {"prompt": prompt}
        if prompt == "login":
            fields |= {"login": sub, "password": "any password"}
        url = urljoin(url, action)
        response = browser.post(url, data=fields, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


@pytest.fixture(scope="session")
def provider_process(tmp_path_factory):
    """One provider for the session, sending browsers back to the test client's host."""
    provider = Provider(tmp_path_factory.mktemp("oidc-provider"), ["http://testserver"])
    yield provider
    provider.stop()


@pytest.fixture
def provider(provider_process, settings, db):
    """The provider with nobody at it yet, and the application set up to sign in through it
    (groups mapped to roles as GROUP_ROLES says)."""
    provider_process.set_accounts()
    for name, value in provider_process.settings().items():
        setattr(settings, name, value)
    return provider_process
