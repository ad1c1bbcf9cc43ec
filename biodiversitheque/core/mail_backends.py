"""Development e-mail backend: one line per message in the console, the full message in a .eml file."""

import sys
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class SummaryFileBackend(BaseEmailBackend):
    """Prints "to — subject — file" and writes the message to EMAIL_FILE_PATH (var/mails/), openable in any mail app."""

    def __init__(self, *args, file_path=None, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or getattr(settings, "EMAIL_FILE_PATH", None) or settings.VAR_DIR / "mails")
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        with self._lock:
            for message in email_messages:
                path = self.directory / f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
                path.write_bytes(message.message().as_bytes())
                recipients = ", ".join(message.recipients())
                self.stream.write(f"[e-mail] {recipients} — {message.subject} — {path}\n")
                self.stream.flush()
                sent += 1
        return sent
