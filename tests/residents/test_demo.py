from demo.seed import seed_demo
from groups.models import Action, ActionSignup, Follow


def test_demo_has_upcoming_actions_and_a_signed_up_following_resident(db):
    seed_demo()
    seed_demo()  # idempotent
    assert Action.objects.filter(title="Repair café at Y Plas", group__place_name="Machynlleth").count() == 1
    assert Action.objects.filter(title="Draught-busting open house").count() == 1
    assert (
        ActionSignup.objects.get(user__email="resident@localism.example").action.title == "Draught-busting open house"
    )
    assert Follow.objects.filter(user__email="resident@localism.example").count() == 1
