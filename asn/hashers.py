"""A cheaper hash for one-time passwords only.

Opening accounts for a whole instansi at once would cost PBKDF2's full work factor (about 0.4 s)
per account: an hour for 10,000 ASN. A one-time password is 12 random characters (about 70 bits),
so its hash needs no work factor to resist guessing; it is replaced at the first sign-in (the
account must set its own password) and Django re-hashes it with the default hasher on that login.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_sekali"
    iterations = 1_000
