"""A test-only app with a two-state process (open ⇄ closed) proving core.workflow end to end.

Installed only when KAIFAQU_EXTRA_APPS names it (pyproject's pytest settings do), so production has no such tables.
"""
