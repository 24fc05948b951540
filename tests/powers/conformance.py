"""Id-valued fields and parameters of the powers API (tests/test_api_schema_conformance.py)."""

REFERENCE_FIELDS = {"batch", "list_version", "against", "standard", "receiver", "matter", "area", "street", "agency",
                    "nominee"}
