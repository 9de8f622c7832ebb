"""The access matrix (test_access_matrix.py) for people signed in through the council's identity
provider: each persona, given their role by their provider group, gets exactly the answers the
matrix gives the same persona signed in with a password, page by page, GET and POST."""

import pytest

from tests.recommendations.test_access_matrix import (  # noqa: F401 (fixtures the pages need)
    ANY_PAGE,
    LOGIN,
    PAGES,
    evidence,
    fingerprint,
    import_job,
    item,
    pdf_job,
    publish_job,
    published,
    update,
    update_request,
)
from tests.reviews.sign_in.provider import account, provider, provider_process, through_provider  # noqa: F401

pytestmark = pytest.mark.django_db

# The persona, and the provider group that gives them their role.
PERSONAS = {
    "councillor": "grp-councillors",
    "officer": "grp-officers",
    "outsider_officer": "grp-officers",
    "clerk": "grp-scrutiny",
}
FIXTURES = [
    "item",
    "published",
    "import_job",
    "pdf_job",
    "publish_job",
    "update_request",
    "update",
    "evidence",
]


def sign_in_through_provider(request, client, persona):
    """The persona, linked to an identity at the provider, signs in there."""
    idp = request.getfixturevalue("provider")
    user = request.getfixturevalue(persona)
    user.identity_issuer, user.identity_subject = idp.issuer, persona
    user.save()
    idp.set_accounts(account(persona, PERSONAS[persona]))
    start = client.get("/sign-in/provider/")["Location"]
    callback = through_provider(start, persona, app_url="http://testserver")
    assert client.get(callback.removeprefix("http://testserver")).status_code == 302
    assert client.session["sign_in_method"] == "provider"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_provider_user_gets_the_answers_of_the_matrix(
    request, client, review, recommendation, meeting, persona
):
    ids = {name: request.getfixturevalue(name).pk for name in FIXTURES}
    sign_in_through_provider(request, client, persona)
    answers = []
    for path, get_expected, post_expected in PAGES:
        if path == "/sign-out/":
            continue  # it would end the session the other pages need: test_provider_sign_out.py
        url = path.format(
            review=review.pk,
            recommendation=recommendation.pk,
            meeting=meeting.pk,
            committee=review.committee_id,
            **ids,
        )
        for method, expected in (("GET", get_expected[persona]), ("POST", post_expected[persona])):
            before = fingerprint()
            response = client.get(url) if method == "GET" else client.post(url, {})
            assert expected != LOGIN
            if isinstance(expected, frozenset):
                assert response.status_code in expected, (method, url)
            else:
                assert response.status_code == expected, (method, url)
            if response.status_code == 403:
                assert b"You cannot do this" in response.content
            assert fingerprint() == before, (method, url)
            answers.append(response.status_code)
    # The walk saw both sides of the table.
    assert 200 in answers and (403 in answers or persona == "clerk")
