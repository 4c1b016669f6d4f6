"""A person's own data: the page about it, the download, deleting the account.

Signed-in only, and only ever one's own data: there is no URL naming another person. A POST with no
confirmation is a 400 with the form's message, so nobody's account is deleted here.
"""

from ..test_permission_matrix import SIGNED_IN, Case, empty_form


def nothing(w):
    return {}


MATRIX = {
    "accounts:my_data": [Case("GET", nothing, SIGNED_IN)],
    "accounts:my_data_download": [Case("GET", nothing, SIGNED_IN)],
    "accounts:delete": [Case("GET", nothing, SIGNED_IN), Case("POST", nothing, empty_form(SIGNED_IN))],
}
