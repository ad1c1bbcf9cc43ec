"""Accounts whose profile asks for a language the admin does not offer (English, from before French was
the only one) get the site's language, French, like every other account."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    permitted = [code for code, _name in getattr(settings, "WAGTAILADMIN_PERMITTED_LANGUAGES", settings.LANGUAGES)]
    UserProfile.objects.exclude(preferred_language="").exclude(preferred_language__in=permitted).update(
        preferred_language=""
    )


class Migration(migrations.Migration):

    dependencies = [
        ("biodiversitheque", "0003_default_taxonomy"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
