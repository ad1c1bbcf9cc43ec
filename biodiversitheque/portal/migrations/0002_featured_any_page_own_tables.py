import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_home_page_from_core"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="homepagefeaturedpage",
            name="page",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.WAGTAIL_PAGE_MODEL,
                verbose_name="ressource",
            ),
        ),
        migrations.AlterModelTable(name="homepage", table=None),
        migrations.AlterModelTable(name="homepagefeaturedpage", table=None),
    ]
