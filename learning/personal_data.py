"""What learning holds about a person, as parts of their data export (see `core.personal_data`); erasing an
account keeps all of it, for the reasons declared below.

The messages they wrote to other groups are copied in full; the groups are only named, and the other
group's answers are theirs, not this person's. One query per part.
"""

from core import personal_data
from core.personal_data import Person

from .models import Connection, ConnectionMessage, GroupBlock


@personal_data.part("connections_you_requested", covers=["learning.Connection.requested_by"])
def connections_you_requested(person: Person) -> list[dict]:
    connections = (
        Connection.objects.filter(requested_by=person.user)
        .select_related("from_group", "to_group")
        .order_by("created_at")
    )
    return [
        {
            "from_group": c.from_group.name,
            "to_group": c.to_group.name,
            "status": c.status,
            "requested_at": c.created_at,
            "answered_at": c.responded_at,
        }
        for c in connections
    ]


@personal_data.part("connections_you_answered", covers=["learning.Connection.responded_by"])
def connections_you_answered(person: Person) -> list[dict]:
    connections = (
        Connection.objects.filter(responded_by=person.user)
        .select_related("from_group", "to_group")
        .order_by("created_at")
    )
    return [
        {
            "from_group": c.from_group.name,
            "to_group": c.to_group.name,
            "status": c.status,
            "answered_at": c.responded_at,
        }
        for c in connections
    ]


@personal_data.part("connection_messages_you_wrote", covers=["learning.ConnectionMessage.author"])
def connection_messages_you_wrote(person: Person) -> list[dict]:
    messages = (
        ConnectionMessage.objects.filter(author=person.user)
        .select_related("sender_group", "connection__from_group", "connection__to_group")
        .order_by("created_at", "pk")
    )
    return [
        {
            "from_group": m.sender_group.name,
            "to_group": (
                m.connection.to_group if m.sender_group_id == m.connection.from_group_id else m.connection.from_group
            ).name,
            "body": m.body,
            "written_at": m.created_at,
            "hidden_by_moderators_at": m.hidden_at,
        }
        for m in messages
    ]


@personal_data.part("groups_you_blocked", covers=["learning.GroupBlock.blocked_by"])
def groups_you_blocked(person: Person) -> list[dict]:
    blocks = GroupBlock.objects.filter(blocked_by=person.user).select_related("blocker", "blocked").order_by("pk")
    return [
        {"blocking_group": b.blocker.name, "blocked_group": b.blocked.name, "blocked_at": b.created_at} for b in blocks
    ]


# --- Erasure: deleting an account keeps these rows, under the anonymised user -----------------------------

personal_data.kept(
    {
        "learning.Connection.requested_by": "a connection is between two groups; it stays, asked by “Former member”",
        "learning.Connection.responded_by": "a connection is between two groups; it stays, answered by “Former member”",
        "learning.ConnectionMessage.author": (
            "a message belongs to the conversation between two groups; it stays, by “Former member”"
        ),
        "learning.GroupBlock.blocked_by": "a block protects the group that made it, whoever of its organisers did",
    }
)
