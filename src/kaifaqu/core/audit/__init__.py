"""The audit trail: every write records an event in the same transaction; events are chained by HMAC-SM3 hashes."""

from .services import (  # noqa: F401
    HASHED_FIELDS,
    Verdict,
    acting_for,
    canonical,
    compute_hash,
    diff,
    principal_of,
    record,
    sm3_hmac,
    snapshot,
    verify,
)
