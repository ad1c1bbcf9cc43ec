"""Give observations entered before taxa existed a Taxon, by cd_nom or scientific name."""

from django.db import migrations
from django.utils.text import slugify


def link_observations(apps, schema_editor):
    Observation = apps.get_model("ressources", "Observation")
    Taxon = apps.get_model("ressources", "Taxon")
    slugs = set(Taxon.objects.values_list("slug", flat=True))
    taxa = {}
    for observation in Observation.objects.filter(taxon__isnull=True).order_by("pk"):
        key = observation.cd_nom or observation.scientific_name.lower()
        taxon = taxa.get(key)
        if taxon is None:
            lookup = {"cd_nom": observation.cd_nom} if observation.cd_nom else {
                "scientific_name__iexact": observation.scientific_name}
            taxon = Taxon.objects.filter(**lookup).first()
        if taxon is None:
            base = slugify(observation.scientific_name)[:200] or "taxon"
            slug, number = base, 2
            while slug in slugs:
                slug, number = f"{base}-{number}", number + 1
            slugs.add(slug)
            taxon = Taxon.objects.create(
                cd_nom=observation.cd_nom, scientific_name=observation.scientific_name,
                vernacular_name=observation.vernacular_name, slug=slug, group=observation.taxon_group or "autres",
                is_protected=observation.is_protected, is_invasive=observation.is_invasive,
            )
        taxa[key] = taxon
        observation.taxon = taxon
        observation.save(update_fields=["taxon"])


class Migration(migrations.Migration):
    dependencies = [("ressources", "0002_taxa_species_index_observation_import")]

    operations = [migrations.RunPython(link_observations, migrations.RunPython.noop)]
