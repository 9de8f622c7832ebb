"""The Django admin works under the Content Security Policy: its scripts, stylesheets, icons and
the autocomplete's requests back to the site are all allowed (the page fixture fails the test on
any violation)."""

from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.browser.conftest import sign_in


def test_the_admin_change_page_and_its_autocomplete_run_under_the_policy(page, demo):
    recommendation = Recommendation.objects.filter(review__title__contains="Cybercrime").first()
    sign_in(page, "admin")
    page.goto(f"{page.base_url}/admin/recommendations/recommendation/{recommendation.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change recommendation")

    # The partners' autocomplete (select2) asks the site for matches as you type.
    with page.expect_response(lambda response: "/admin/autocomplete/" in response.url) as answer:
        page.locator(".field-partners .select2-selection").click()
        page.locator(".select2-search__field").fill("Dur")
    assert answer.value.status == 200
    expect(page.locator(".select2-results__option").first).to_be_visible()
