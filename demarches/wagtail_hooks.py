from .calls import wagtail_hooks  # noqa: F401 - registers the calls' admin
from .permits import wagtail_hooks as permit_hooks  # noqa: F401 - and the permits' instruction screens
