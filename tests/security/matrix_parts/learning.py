"""Ask a peer: the asking group is a second group run by the organiser of the main table's group; and
"other_organiser", an organiser of a third group, who may ask too."""

from learning import connections

from ...factories import GroupFactory, MembershipFactory
from ..test_permission_matrix import DENIED, LOGIN, OK, REFUSED, Case, empty_form, managers_only

EXTRA_ROLES = {
    # For every other URL a stranger unless a case says otherwise.
    "other_organiser": lambda world: MembershipFactory(group=GroupFactory(), role="organiser").user,
}


def extend_world(world):
    world.peer_group = GroupFactory()
    world.peer_owner = MembershipFactory(group=world.peer_group, role="owner").user
    # The peer group asks the main group; the main group's managers are the ones who answer.
    world.connection = connections.request_connection(
        from_group=world.peer_group, to_group=world.group, by=world.peer_owner, message="Hello"
    )


def connection(w):
    return {"pk": w.connection.pk}


def peer(w):
    return {"slug": w.peer_group.slug}


# Asking needs a group of your own to ask from: only the main group's managers have one here.
ASK = {
    "anonymous": LOGIN,
    "stranger": DENIED,
    "member": DENIED,
    "organiser": OK,
    "owner": OK,
    "staff": DENIED,
    # An organiser of another group asks from that group.
    "other_organiser": OK,
}

MATRIX = {
    "learning:ask": [Case("GET", peer, ASK), Case("POST", peer, empty_form(ASK))],
    "learning:group_connections": [Case("GET", lambda w: {"slug": w.group.slug}, managers_only())],
    # Writing waits until the request is accepted: the managers are refused by rule (409) until then.
    "learning:connection": [
        Case("GET", connection, managers_only()),
        Case("POST", connection, managers_only(organiser=REFUSED, owner=REFUSED)),
    ],
    "learning:respond": [Case("POST", connection, managers_only(), {"decision": "decline"})],
    "learning:block": [Case("POST", connection, managers_only())],
}
