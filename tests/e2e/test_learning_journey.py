"""An organiser sees peers in similar places with readable reasons, asks one a question, and gets an answer."""

import re

from django.core import mail

from ..factories import MembershipFactory, similar_and_different_groups
from .helpers import assert_no_violations, log_in


def test_organiser_asks_a_similar_group_and_gets_an_answer(page, browser, live_server, transactional_db):
    mine, peer, _ = similar_and_different_groups()
    organiser = MembershipFactory(group=mine, role="organiser").user
    peer_owner = MembershipFactory(group=peer, role="owner").user

    context = page.context
    log_in(context, live_server, organiser)
    page.goto(f"/groups/{mine.slug}/")
    page.get_by_role("link", name="Groups in similar places, and what they learned").click()
    page.get_by_role("heading", level=1, name="Groups like Llanidloes Warm Homes").wait_for()
    most_similar = page.get_by_role("region", name="Most similar groups").get_by_role("listitem").first
    assert "Rhayader Warm Homes" in most_similar.inner_text()
    assert re.search(r"[Bb]oth rural", most_similar.inner_text())
    assert_no_violations(page, "group learning page")

    most_similar.get_by_role("link", name="Ask Rhayader Warm Homes a question").click()
    page.get_by_label("Your question").fill("How did you find volunteers for home visits?")
    page.get_by_role("button", name="Send question").click()
    page.get_by_text("Your question is on its way").wait_for()
    assert any(peer_owner.email in message.to for message in mail.outbox)

    answer = browser.new_context(base_url=live_server.url)
    log_in(answer, live_server, peer_owner)
    answer_page = answer.new_page()
    answer_page.goto(f"/learning/groups/{peer.slug}/connections/")
    answer_page.get_by_role("link", name="Llanidloes Warm Homes").click()
    answer_page.get_by_role("button", name="Accept").click()
    answer_page.get_by_label("Your message").fill("We asked at the school gate and the surgery.")
    answer_page.get_by_role("button", name="Send message").click()
    answer_page.get_by_text("Message sent.").wait_for()
    answer.close()

    page.reload()
    page.get_by_text("We asked at the school gate and the surgery.").wait_for()
    assert any(organiser.email in message.to for message in mail.outbox)
