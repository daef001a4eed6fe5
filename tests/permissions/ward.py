from tests.permissions import PERSONAS, Case, statuses

EVERYONE_200 = dict.fromkeys(PERSONAS, 200)

CASES = [
    Case("healthz", get=EVERYONE_200, post=dict.fromkeys(PERSONAS, 405)),
    Case("favicon", get=EVERYONE_200, post=dict.fromkeys(PERSONAS, 405)),
    # A signed-in person is sent on from the login page to their home.
    # An empty login form re-shows with errors; signed-in people are sent home.
    Case("login", get=statuses(302, anon=200), post=statuses(302, anon=200)),
    Case("logout", get=statuses(405), post=statuses(302)),
    Case("password_change", get=statuses(200), post=statuses(200)),
    Case("password_change_done", get=statuses(200)),
    Case("dashboard:home", get=statuses(200)),
]

CASES.append(Case("sign_ins", get=statuses(200), post=statuses(405)))
CASES += [
    # Setting up two-factor sign-in is open to every signed-in person (an invalid code
    # re-shows the form); the code page sends people without a pending code home.
    Case("two_factor_setup", get=statuses(200), post=statuses(200)),
    Case("two_factor_verify", get=statuses(302), post=statuses(302)),
]
# The amount in words beside money fields: any signed-in person; a GET only.
CASES.append(Case("amount_words", get=statuses(200), post=statuses(405)))
CASES += [
    # /admin/login/ checks no password: visitors go to /dang-nhap/ (GET or POST); a
    # signed-in person without the admin site is refused rather than sent round a loop.
    Case("admin_login", get=statuses(403, anon=302), post=statuses(403, anon=302)),
]
