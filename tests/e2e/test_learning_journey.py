"""Learning from peers in the demo: an organiser asks a similar group from their group's learning page, the
peer's organiser signs in and answers, and the first sees the answer; on a phone the page stays short. Each
runs in English and in Welsh (under /cy/), with every word of the site the test looks for taken from the
catalogue of that language."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

from .helpers import DESKTOP, PHONE, address, assert_no_violations, log_in, tr, tr_plural


def lead_in(language, message, **values):
    """The words of a long translated message before its first " — ", with the values put in."""
    return tr(language, message).split(" — ")[0] % values


LANGUAGES = pytest.mark.parametrize("language", ["en-gb", "cy"])
KENDAL = "/learning/groups/kendal-warm-homes-circle/"
# How tall "short" is on a phone. Welsh prose runs longer than English: with the demo data the page is
# 3,353 px in English and 3,570 px in Welsh, with the same two groups and one lesson shown, so Welsh is
# allowed a tenth more.
PHONE_HEIGHT_LIMIT = {"en-gb": 3500, "cy": 3850}
RESEMBLE_YOURS = (
    "Groups whose place and circumstances resemble yours — %(kind)s, deprivation decile %(decile)s, "
    "about %(population)s people, %(region)s — including some that tried something different."
)
RESEMBLE_THOSE_OF = (
    "Groups whose place and circumstances resemble those of %(name)s — %(kind)s, deprivation decile %(decile)s, "
    "about %(population)s people, %(region)s — including some that tried something different."
)
QUESTION = "How did you train volunteers to give energy advice?"
ANSWER = "Two afternoons with the council's energy advisers, then one visit alongside an old hand."


@LANGUAGES
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_organiser_asks_a_peer_from_their_learning_page_and_reads_the_answer(
    demo, page, browser, live_server, language
):
    def _(message, context=None, **values):
        return tr(language, message, context, **values)

    log_in(page.context, live_server, User.objects.get(email="organiser@localism.example"))
    page.goto(address(language, "/groups/kendal-warm-homes-circle/"))
    page.get_by_role("link", name=_("Groups in similar places, and what they learned")).click()
    page.get_by_role(
        "heading", level=1, name=_("Groups like %(name)s", name="Kendal Warm Homes Circle (demo)")
    ).wait_for()
    page.get_by_text(lead_in(language, RESEMBLE_YOURS)).wait_for()
    assert_no_violations(page, "group learning page")

    peer_card = page.get_by_role("region", name=_("Most similar groups")).get_by_role("listitem").first
    assert "Ulverston Cosy Homes (demo)" in peer_card.inner_text()
    peer_card.get_by_role("link", name=_("Ask %(name)s a question", name="Ulverston Cosy Homes (demo)")).click()
    # The organiser runs eight demo groups: the question is asked for the one whose page they came from.
    assert page.get_by_label(_("Ask on behalf of")).evaluate("select => select.selectedOptions[0].text") == (
        "Kendal Warm Homes Circle (demo)"
    )
    page.get_by_label(_("Your question")).fill(QUESTION)
    page.get_by_role("button", name=_("Send question")).click()
    page.get_by_text(_("Your question is on its way to %(group)s.", group="Ulverston Cosy Homes (demo)")).wait_for()
    assert any("peer@localism.example" in message.to for message in mail.outbox)

    answer = browser.new_context(base_url=live_server.url, viewport=PHONE)
    answer_page = answer.new_page()
    answer_page.goto(address(language, "/accounts/login/"))
    answer_page.get_by_label(_("Email")).fill("peer@localism.example")
    answer_page.get_by_label(_("Password")).fill("localism-demo")
    answer_page.get_by_role("button", name=_("Log in")).click()
    answer_page.goto(address(language, "/learning/groups/ulverston-cosy-homes/connections/"))
    answer_page.get_by_role("link", name="Kendal Warm Homes Circle (demo)").click()
    answer_page.get_by_text(QUESTION).wait_for()
    answer_page.get_by_role("button", name=_("Accept")).click()
    answer_page.get_by_label(_("Your message")).fill(ANSWER)
    answer_page.get_by_role("button", name=_("Send message")).click()
    answer_page.get_by_text(_("Message sent.")).wait_for()
    if language == "cy":
        expect(answer_page.locator("html")).to_have_attribute("lang", "cy")
    answer.close()

    page.reload()
    page.get_by_text(ANSWER).wait_for()
    assert any("organiser@localism.example" in message.to for message in mail.outbox)
    if language == "cy":
        expect(page.locator("html")).to_have_attribute("lang", "cy")


@LANGUAGES
def test_on_a_phone_the_learning_page_is_short_and_shows_everything_on_request_without_javascript(
    demo, browser, live_server, language
):
    def _(message, context=None, **values):
        return tr(language, message, context, **values)

    # Without JavaScript (axe-core needs it: the journey above checks the page at phone width).
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.goto(address(language, KENDAL))
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < PHONE_HEIGHT_LIMIT[language], f"the learning page is {height} px tall on a phone"
    similar = page.get_by_role("region", name=_("Most similar groups"))
    shown = similar.locator(".peer-list > li:visible").count()
    assert shown == 2

    see_all = tr_plural(
        language, "See all %(counter)s similar group", "See all %(counter)s similar groups", 10, counter=10
    )
    similar.get_by_role("link", name=see_all).click()
    page.get_by_role("heading", name=_("Most similar groups")).wait_for()
    assert similar.locator(".peer-list > li:visible").count() == 10
    assert page.evaluate("document.documentElement.scrollHeight") > height
    # Visitors are not addressed as the group, and historical examples are labelled, never offered.
    assert lead_in(language, RESEMBLE_THOSE_OF, name="Kendal Warm Homes Circle (demo)") in page.content()
    assert similar.get_by_text(_("Historical example")).count() >= 1
    if language == "cy":
        expect(page.locator("html")).to_have_attribute("lang", "cy")
    context.close()
