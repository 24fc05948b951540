REFERENCE_FIELDS = {"responsible_org", "project"}
