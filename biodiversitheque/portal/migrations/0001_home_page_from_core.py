"""The home page moves here from the core app (label "biodiversitheque"), which may no longer refer to the
apps above it. Installations that already have its tables keep them and their rows: the model is taken
over as it stands and its content type follows (pages keep their type). A new database gets the tables
here. 0002 then points the featured items to any page and renames the tables."""

import django.db.models.deletion
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


MODELS = ("homepage", "homepagefeaturedpage")


def create_missing_tables(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in MODELS:
        model = apps.get_model("portal", name)
        if model._meta.db_table not in existing:
            schema_editor.create_model(model)


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="biodiversitheque", model__in=MODELS).update(app_label="portal")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="portal", model__in=MODELS).update(app_label="biodiversitheque")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('biodiversitheque', '0004_admin_profiles_in_french'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('ressources', '0003_link_existing_observations_to_taxa'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='HomePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('summary', models.TextField(blank=True, help_text='Deux ou trois phrases, affichées dans les listes et les résultats de recherche.', max_length=400, verbose_name='résumé')),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='présentation')),
                ('body', wagtail.fields.StreamField([('paragraph', 0), ('heading', 3), ('image', 7), ('callout', 11), ('quote', 14), ('document', 17)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link'], 'label': 'Paragraphe'}), 1: ('wagtail.blocks.CharBlock', (), {'label': 'Titre', 'max_length': 200}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Niveau 2'), ('h3', 'Niveau 3')], 'label': 'Niveau'}), 3: ('wagtail.blocks.StructBlock', [[('text', 1), ('level', 2)]], {}), 4: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Image'}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': "Décrit l'image pour les personnes qui ne la voient pas. Vide si décorative.", 'label': 'Texte alternatif', 'required': False}), 6: ('wagtail.blocks.CharBlock', (), {'label': 'Légende', 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('image', 4), ('alt_text', 5), ('caption', 6)]], {}), 8: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('info', 'Information'), ('tip', 'Astuce'), ('warning', 'Attention')], 'label': 'Type'}), 9: ('wagtail.blocks.CharBlock', (), {'label': 'Titre', 'required': False}), 10: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link'], 'label': 'Texte'}), 11: ('wagtail.blocks.StructBlock', [[('kind', 8), ('title', 9), ('text', 10)]], {}), 12: ('wagtail.blocks.TextBlock', (), {'label': 'Citation'}), 13: ('wagtail.blocks.CharBlock', (), {'label': 'Auteur ou autrice', 'required': False}), 14: ('wagtail.blocks.StructBlock', [[('quote', 12), ('author', 13)]], {}), 15: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Document'}), 16: ('wagtail.blocks.CharBlock', (), {'label': 'Intitulé', 'required': False}), 17: ('wagtail.blocks.StructBlock', [[('document', 15), ('title', 16)]], {})}, verbose_name='contenu')),
                ('audiences', modelcluster.fields.ParentalManyToManyField(blank=True, to='biodiversitheque.audience', verbose_name='publics')),
                ('hero_image', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name="image d'en-tête")),
                ('listing_image', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='image de vignette')),
                ('themes', modelcluster.fields.ParentalManyToManyField(blank=True, to='biodiversitheque.theme', verbose_name='thèmes')),
            ],
            options={
                'verbose_name': "page d'accueil",
                'verbose_name_plural': "pages d'accueil",
                'db_table': 'biodiversitheque_homepage',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='HomePageFeaturedPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('home', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='featured_pages', to='portal.homepage')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ressources.resourcepage', verbose_name='ressource')),
            ],
            options={
                'ordering': ['sort_order'],
                'abstract': False,
                'db_table': 'biodiversitheque_homepagefeaturedpage',
            },
        ),
        ]),
        migrations.RunPython(create_missing_tables, migrations.RunPython.noop),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
