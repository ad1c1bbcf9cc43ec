"""The admin speaks French to every account."""

from django.db.models.signals import pre_save

from wagtail.admin.localization import get_available_admin_languages


def keep_permitted_admin_language(sender, instance, raw=False, **kwargs):
    # Wagtail uses a stored language even when it is no longer permitted (accounts made before the
    # setting, imports): such a profile falls back to the site's language.
    if instance.preferred_language and instance.preferred_language not in dict(get_available_admin_languages()):
        instance.preferred_language = ""


def connect():
    from wagtail.users.models import UserProfile

    pre_save.connect(keep_permitted_admin_language, sender=UserProfile, dispatch_uid="admin_language_fr")
