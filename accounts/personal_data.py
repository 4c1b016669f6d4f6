"""What accounts holds about a person, as parts of their data export (see `core.personal_data`):
the account itself and its email addresses.
"""

from core import personal_data
from core.personal_data import Person


@personal_data.part("profile", covers=["accounts.User.email"])
def profile(person: Person) -> dict:
    user = person.user
    return {
        "email": user.email,
        "display_name": user.display_name,
        "home_area": user.home_area,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "welcome_mail_sent_at": user.welcome_sent_at,
        "is_moderator": user.is_moderator,
        "suspended_at": user.suspended_at,
        "suspension_reason": user.suspension_reason,
    }


@personal_data.part("email_addresses", covers=["account.EmailAddress.user"])
def email_addresses(person: Person) -> list[dict]:
    # Read once, with the person (see `selectors.person_for`): invitations are found by these addresses too.
    return list(person.email_addresses)
