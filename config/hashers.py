from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane).

    Django's defaults (100 MiB, 8 lanes) cost about 150 ms and 1.6 cores per check
    here, which would cap a 2-core server at about 9 sign-ins a second.
    """

    algorithm = "argon2_owasp"
    time_cost = 2
    memory_cost = 19_456
    parallelism = 1
