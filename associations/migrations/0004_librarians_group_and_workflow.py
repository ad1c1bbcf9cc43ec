"""Formerly set up the librarians' group and the moderation workflow; both are now set up after every
`migrate` by the portal (`biodiversitheque.portal.roles`), which may use every app. Kept empty so the
migration history stays the same on installations that applied it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("associations", "0003_membership_and_events_folder")]

    operations = []
