"""Ask a peer: the asking group is a second group run by the organiser of the main table's group."""

from learning import connections

from ..test_permission_matrix import DENIED, LOGIN, OK, Case, managers_only


def extend_world(world):
    from ...factories import GroupFactory, MembershipFactory

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
    "learning:ask": [Case("GET", peer, ASK), Case("POST", peer, ASK)],
    "learning:group_connections": [Case("GET", lambda w: {"slug": w.group.slug}, managers_only())],
    "learning:connection": [Case("GET", connection, managers_only()), Case("POST", connection, managers_only())],
    "learning:respond": [Case("POST", connection, managers_only(), {"decision": "decline"})],
    "learning:block": [Case("POST", connection, managers_only())],
}
