"""Id-valued fields and parameters of the meetings API, for the schema conformance run."""

# ``rows``: attendance rows name their units by id (an unknown or foreign unit is refused naming ``rows``).
REFERENCE_FIELDS = {"owner", "agenda_item", "presenter", "source_id", "meeting", "org", "rows"}
