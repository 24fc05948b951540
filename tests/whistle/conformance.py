"""Id-valued fields and parameters of the whistle API, for the schema conformance run."""

REFERENCE_FIELDS = {"park", "lead", "supporters", "unit", "assignment", "org", "evidence"}
