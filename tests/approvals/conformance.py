"""Id-valued fields of the approvals API (a wrong id is refused like a missing one)."""

REFERENCE_FIELDS = {"department", "window", "item", "project", "applicant", "covers", "signed_file", "material",
                    "enterprise", "agent", "staff"}
