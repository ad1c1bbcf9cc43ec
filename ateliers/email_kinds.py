"""Labels of the e-mail kinds that other apps send through the outbox. Free of models, so that each app
declares its kinds at load time (`register_email_kinds` in its AppConfig)."""

EXTRA_KIND_LABELS = {}


def register_email_kinds(labels):
    EXTRA_KIND_LABELS.update(labels)
