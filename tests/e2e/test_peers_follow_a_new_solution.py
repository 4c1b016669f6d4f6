"""An organiser publishes a solution and, with no rebuild, their group's learning page shows peers that
reflect it, with a reason quoting words both groups wrote; asking from there is for their group."""

from ..factories import ChallengeAreaFactory, GroupFactory, MembershipFactory, SolutionFactory
from .helpers import assert_no_violations, log_in


def test_a_published_solution_brings_peers_that_share_it_without_a_rebuild(page, live_server, transactional_db):
    from learning.services import rebuild_all_peers

    energy = ChallengeAreaFactory(name="Energy", slug="energy")
    youth = ChallengeAreaFactory(name="Youth", slug="youth")
    place = dict(area_kind="small_town", region="north_west", deprivation_decile=4, population=8000)
    mine = GroupFactory(name="Millom Warm Streets", summary="Neighbours in Millom.", areas=[energy], **place)
    lenders = GroupFactory(name="Dalton Heat Seekers", summary="Neighbours in Dalton.", areas=[energy], **place)
    SolutionFactory(
        group=lenders,
        challenge_area=energy,
        title="Thermal camera loans",
        problem="Nobody can see where the heat escapes from old terraced houses.",
        approach="We lend a thermal camera library kit with a short guide to every street.",
    )
    for n in range(4):
        other = GroupFactory(name=f"Youth club {n}", summary="Football on Fridays.", areas=[youth], **place)
        SolutionFactory(group=other, challenge_area=youth, title="Friday football", problem="Teenagers are bored.")
    owner = MembershipFactory(group=mine, role="owner").user
    rebuild_all_peers()

    log_in(page.context, live_server, owner)
    page.goto(f"/learning/groups/{mine.slug}/")
    assert "terraced houses" not in page.get_by_role("main").inner_text()
    page.goto(f"/challenges/solutions/{mine.slug}/new/")
    page.get_by_label("Title").fill("Thermal camera evenings")
    page.get_by_label("Challenge area").select_option(label="Energy")
    page.get_by_label("The problem in your local context").fill(
        "We cannot see where the heat escapes from our terraced houses."
    )
    page.get_by_label("Your approach").fill("Neighbours borrow a thermal camera library kit and walk their street.")
    page.get_by_label("Why it fits this place").fill("Rows of old terraced houses, all built the same way.")
    page.get_by_label("Status").select_option(value="published")
    page.get_by_role("button", name="Save solution").click()
    page.get_by_role("heading", level=1, name="Thermal camera evenings").wait_for()

    page.goto(f"/learning/groups/{mine.slug}/")
    similar = page.get_by_role("region", name="Most similar groups")
    first = similar.get_by_role("listitem").first
    # Without any rebuild: the reason quotes what both groups wrote, including the new solution.
    assert "Dalton Heat Seekers" in first.inner_text()
    assert "‘terraced houses’" in first.inner_text()
    assert_no_violations(page, "learning page after publishing")
    first.get_by_role("link", name="Ask Dalton Heat Seekers a question").click()
    assert (
        page.get_by_label("Ask on behalf of").evaluate("select => select.selectedOptions[0].text")
        == "Millom Warm Streets"
    )
