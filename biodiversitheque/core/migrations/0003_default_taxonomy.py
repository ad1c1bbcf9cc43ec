"""Seed the themes and audiences every biodiversithèque starts with (editable afterwards)."""

from django.db import migrations

THEMES = [
    ("mares-et-zones-humides", "Mares et zones humides"),
    ("haies", "Haies"),
    ("arbres", "Arbres"),
    ("insectes-et-pollinisateurs", "Insectes et pollinisateurs"),
    ("oiseaux", "Oiseaux"),
    ("mammiferes", "Mammifères"),
    ("sols-et-compost", "Sols et compost"),
    ("jardin-nourricier", "Jardin nourricier"),
    ("prairies-et-fleurs-sauvages", "Prairies et fleurs sauvages"),
    ("eau", "Eau et pluie"),
    ("especes-exotiques-envahissantes", "Espèces exotiques envahissantes"),
    ("sciences-participatives", "Sciences participatives"),
    ("nature-en-ville", "Nature en ville"),
]
AUDIENCES = [
    ("habitants", "Habitants"),
    ("elus", "Élus"),
    ("agents", "Agents"),
    ("professionnels", "Professionnels"),
    ("scolaires", "Scolaires"),
    ("familles", "Familles"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Theme", THEMES), ("Audience", AUDIENCES)):
        model = apps.get_model("biodiversitheque", model_name)
        for order, (slug, name) in enumerate(rows, start=1):
            model.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("biodiversitheque", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
