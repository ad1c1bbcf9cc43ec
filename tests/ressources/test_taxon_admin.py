"""The taxon form in the admin: statuses by territory edited inline, flags computed from them."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from ressources.models import Taxon


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin-taxons", "a@example.org", "x"))
    return client


def form(taxon, statuses):
    return nested_form_data({
        "scientific_name": taxon.scientific_name, "author": "", "vernacular_name": taxon.vernacular_name,
        "cd_nom": taxon.cd_nom or "", "cd_ref": "", "taxref_version": "", "group": taxon.group, "rank": "",
        "kingdom": "", "family": "", "slug": taxon.slug, "image": "", "image_credit": "", "image_licence": "",
        "description": rich_text(""), "is_sensitive": "",
        "territorial_statuses": inline_formset(statuses),
    })


def test_statuses_edited_in_the_form_decide_the_flags(admin_client, db):
    taxon = Taxon.objects.create(scientific_name="Athene noctua", vernacular_name="Chevêche d'Athéna", cd_nom=3511,
                                 group="oiseaux", is_invasive=True)
    url = reverse("wagtailsnippets_ressources_taxon:edit", args=[taxon.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "Statuts par territoire" in page.content.decode()

    response = admin_client.post(url, form(taxon, [{
        "kind": "liste-rouge", "code": "VU", "label": "Vulnérable", "territory": "Centre-Val de Loire",
        "territory_code": "INSEER24", "territory_level": "1", "document": "", "document_url": "",
    }]))
    assert response.status_code == 302
    taxon.refresh_from_db()
    assert taxon.territorial_statuses.get().badge_label == "Liste rouge Centre-Val de Loire : vulnérable (VU)"
    assert (taxon.is_protected, taxon.is_threatened, taxon.is_invasive) == (False, True, False)
