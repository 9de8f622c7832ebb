import datetime
import re

import pytest
import time_machine

from tests.factories import make_meeting, make_recommendation, make_update

D = datetime.date
pytestmark = pytest.mark.django_db


def numbers(content: str) -> list[str]:
    body = content.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", cells[1]).strip()
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr.*?</tr>", body, re.S)
        )
    ]


@time_machine.travel(D(2019, 5, 1), tick=False)
def test_an_officer_sees_what_they_may_update_overdue_and_stale_first(
    client, officer, outsider_officer, review, lead_organisation, other_organisation
):
    fine = make_recommendation("1", review=review, lead_organisation=lead_organisation)
    make_update(fine, as_at=D(2019, 4, 30))
    make_recommendation(
        "2", review=review, lead_organisation=lead_organisation, target_date=D(2019, 1, 31)
    )  # overdue and stale
    supported = make_recommendation(
        "3", review=review, lead_organisation=other_organisation, target_date=D(2019, 3, 1)
    )  # overdue, stale, through a partnership
    supported.partners.add(lead_organisation)
    mine_as_lead = make_recommendation(
        "4", review=review, lead_organisation=other_organisation, lead_officer=officer
    )
    make_update(mine_as_lead, as_at=D(2019, 1, 2))  # stale only
    make_recommendation("5", review=review, lead_organisation=other_organisation)  # not theirs
    closed = make_recommendation("6", review=review, lead_organisation=lead_organisation)
    closed.close(
        meeting=make_meeting(committee=review.committee, date=D(2019, 2, 1)),
        how="implemented",
        user=None,
    )
    client.force_login(officer)

    content = client.get("/recommendations/mine/").content.decode()

    assert numbers(content) == ["2", "3", "4", "1"]
    assert "The 3 overdue or stale come first." in content
    assert f'href="/recommendations/{fine.pk}/progress-updates/add/"' in content


def test_an_officer_with_nothing_to_update_is_told_why(client, outsider_officer, recommendation):
    client.force_login(outsider_officer)
    content = client.get("/recommendations/mine/").content.decode()
    assert "There are no open recommendations for you to update." in content


def test_a_councillor_has_no_recommendations_to_update(client, councillor):
    client.force_login(councillor)
    assert client.get("/recommendations/mine/").status_code == 403
