"""Shared by tests/ and e2e/: a fast password hasher (argon2 costs ~50 ms a hash; the suite creates hundreds)."""


def pytest_configure(config):
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
