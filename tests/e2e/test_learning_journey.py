"""Learning from peers in the demo: an organiser asks a similar group from their group's learning page, the
peer's organiser signs in and answers, and the first sees the answer; on a phone the page stays short."""

import pytest
from django.core import mail

from accounts.models import User

from .helpers import DESKTOP, PHONE, assert_no_violations, log_in

KENDAL = "/learning/groups/kendal-warm-homes-circle/"
QUESTION = "How did you train volunteers to give energy advice?"
ANSWER = "Two afternoons with the council's energy advisers, then one visit alongside an old hand."


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_organiser_asks_a_peer_from_their_learning_page_and_reads_the_answer(demo, page, browser, live_server):
    log_in(page.context, live_server, User.objects.get(email="organiser@localism.example"))
    page.goto("/groups/kendal-warm-homes-circle/")
    page.get_by_role("link", name="Groups in similar places, and what they learned").click()
    page.get_by_role("heading", level=1, name="Groups like Kendal Warm Homes Circle (demo)").wait_for()
    page.get_by_text("resemble yours").wait_for()
    assert_no_violations(page, "group learning page")

    peer_card = page.get_by_role("region", name="Most similar groups").get_by_role("listitem").first
    assert "Ulverston Cosy Homes (demo)" in peer_card.inner_text()
    peer_card.get_by_role("link", name="Ask Ulverston Cosy Homes (demo) a question").click()
    # The organiser runs eight demo groups: the question is asked for the one whose page they came from.
    assert page.get_by_label("Ask on behalf of").evaluate("select => select.selectedOptions[0].text") == (
        "Kendal Warm Homes Circle (demo)"
    )
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Send question").click()
    page.get_by_text("Your question is on its way to Ulverston Cosy Homes (demo)").wait_for()
    assert any("peer@localism.example" in message.to for message in mail.outbox)

    answer = browser.new_context(base_url=live_server.url, viewport=PHONE)
    answer_page = answer.new_page()
    answer_page.goto("/accounts/login/")
    answer_page.get_by_label("Email").fill("peer@localism.example")
    answer_page.get_by_label("Password").fill("localism-demo")
    answer_page.get_by_role("button", name="Log in").click()
    answer_page.goto("/learning/groups/ulverston-cosy-homes/connections/")
    answer_page.get_by_role("link", name="Kendal Warm Homes Circle (demo)").click()
    answer_page.get_by_text(QUESTION).wait_for()
    answer_page.get_by_role("button", name="Accept").click()
    answer_page.get_by_label("Your message").fill(ANSWER)
    answer_page.get_by_role("button", name="Send message").click()
    answer_page.get_by_text("Message sent.").wait_for()
    answer.close()

    page.reload()
    page.get_by_text(ANSWER).wait_for()
    assert any("organiser@localism.example" in message.to for message in mail.outbox)


def test_on_a_phone_the_learning_page_is_short_and_shows_everything_on_request_without_javascript(
    demo, browser, live_server
):
    # Without JavaScript (axe-core needs it: the journey above checks the page at phone width).
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.goto(KENDAL)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3500, f"the learning page is {height} px tall on a phone"
    similar = page.get_by_role("region", name="Most similar groups")
    shown = similar.locator(".peer-list > li:visible").count()
    assert shown == 2

    similar.get_by_role("link", name="See all 10 similar groups").click()
    page.get_by_role("heading", name="Most similar groups").wait_for()
    assert similar.locator(".peer-list > li:visible").count() == 10
    assert page.evaluate("document.documentElement.scrollHeight") > height
    # Visitors are not addressed as the group, and historical examples are labelled, never offered.
    assert "resemble those of Kendal Warm Homes Circle (demo)" in page.content()
    assert similar.get_by_text("Historical example").count() >= 1
    context.close()
