"""The roles table holds the same for people signed in through the real password form and a code
from their authenticator app: the access matrix, run again for a scrutiny officer (who must use
the second factor) and an officer (who chose to), each signed in through the pages."""

import pytest

from tests.factories import authenticator_code, give_authenticator

from .test_access_matrix import (  # noqa: F401  the matrix's own fixtures, used by its cases
    CASES,
    evidence,
    import_job,
    item,
    pdf_job,
    publish_job,
    published,
    update,
    update_request,
)
from .test_access_matrix import test_access as access_matrix_case

pytestmark = pytest.mark.django_db

THROUGH_THE_PAGES = {"clerk", "officer"}


@pytest.fixture
def client(client):
    """A client whose force_login signs in as a browser does: password, then the app's code."""

    def sign_in_through_the_pages(user):
        give_authenticator(user)
        password = client.post("/sign-in/", {"username": user.username, "password": "password"})
        assert password["Location"] == "/sign-in/code/"
        signed_in = client.post("/sign-in/code/", {"code": authenticator_code()})
        assert signed_in.status_code == 302, signed_in.content.decode()
        assert client.session["sign_in_method"] == "password"
        assert client.session["otp_device_id"]

    client.force_login = sign_in_through_the_pages
    return client


@pytest.mark.parametrize(
    ("path", "method", "role", "expected"),
    [case for case in CASES if case.values[2] in THROUGH_THE_PAGES],
)
def test_access_after_password_and_code(
    request, client, review, recommendation, meeting, path, method, role, expected
):
    access_matrix_case(
        request, client, review, recommendation, meeting, path, method, role, expected
    )
