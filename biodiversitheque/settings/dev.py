"""Local development: debug on, a throwaway secret, e-mails printed in the console."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
BIODIVERSITHEQUE_DEMO_ACCOUNTS = True
