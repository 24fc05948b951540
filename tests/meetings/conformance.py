"""Id-valued fields and parameters of the meetings API, for the schema conformance run."""

REFERENCE_FIELDS = {"owner", "agenda_item", "presenter", "source_id", "meeting", "org"}
