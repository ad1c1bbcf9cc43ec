"""Purges of personal data that each app registers (in its AppConfig.ready), so that the one
`purge_personal_data` command runs them all without importing the apps above it."""

PURGES = []


def register_purge(label, function):
    """`function()` returns a {what: count} dict, printed by the command after `label`."""
    if (label, function) not in PURGES:
        PURGES.append((label, function))
