"""A useful French starting list of synonyms; librarians edit it in the admin."""

from django.db import migrations

DEFAULT_SYNONYMS = [
    "tondre, tonte, tondeuse",
    "invasive, envahissante",
    "phyto, phytosanitaire, pesticide",
    "herbicide, désherbant",
    "balade, sortie, promenade, randonnée",
    "graine, semence",
    "paillage, mulch",
    "déchet, biodéchet",
    "papillon, lépidoptère",
    "amphibien, batracien",
]


def add_defaults(apps, schema_editor):
    Synonym = apps.get_model("sitesearch", "Synonym")
    if not Synonym.objects.exists():
        Synonym.objects.bulk_create([Synonym(words=words) for words in DEFAULT_SYNONYMS])


def remove_defaults(apps, schema_editor):
    apps.get_model("sitesearch", "Synonym").objects.filter(words__in=DEFAULT_SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0005_synonyms")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
