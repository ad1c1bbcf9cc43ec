from .calls import wagtail_hooks  # noqa: F401 - registers the calls' admin
