"""Images an association member uploads go to its association's collection; it chooses from there and
from the shared collection, never from another association's."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file, get_test_image_file_jpeg
from wagtail.models import Collection, GroupCollectionPermission

from associations import services
from associations.models import Association
from biodiversitheque.core.sites import SHARED_COLLECTION_NAME

Image = get_image_model()


def rights(group):
    return {
        (permission.collection.name, permission.permission.codename)
        for permission in GroupCollectionPermission.objects.filter(group=group).select_related(
            "collection", "permission"
        )
    }


def test_each_association_has_its_collection_and_no_right_on_the_root(mares):
    mares.refresh_from_db()
    root = Collection.get_first_root_node()
    assert mares.collection.get_parent() == root
    assert rights(mares.members_group) == {
        (mares.collection.name, "add_image"), (mares.collection.name, "choose_image"),
        (SHARED_COLLECTION_NAME, "choose_image"),
    }
    services.ensure_association_access(mares)  # idempotent
    assert Collection.objects.filter(association=mares).count() == 1
    assert len(rights(mares.members_group)) == 3


def test_member_upload_goes_to_its_association_collection(member_client, mares):
    response = member_client.post("/admin/images/add/", {
        "title": "Mare au printemps",
        "file": SimpleUploadedFile("mare.png", get_test_image_file().file.getvalue(), content_type="image/png"),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    mares.refresh_from_db()
    assert Image.objects.get(title="Mare au printemps").collection == mares.collection


def test_member_chooses_own_and_shared_images_only(member_client, mares, apis):
    mares.refresh_from_db()
    apis.refresh_from_db()
    for title, collection in (
        ("Photo des mares", mares.collection), ("Photo secrète des abeilles", apis.collection),
        ("Prairie partagée", services.shared_collection()),
    ):
        Image.objects.create(title=title, file=get_test_image_file_jpeg(), collection=collection)
    for url in ("/admin/images/chooser/", "/admin/images/chooser/results/", "/admin/images/"):
        response = member_client.get(url)
        html = response.json()["html"] if response["Content-Type"] == "application/json" else response.content.decode()
        assert "Photo secrète des abeilles" not in html, url
    chooser = member_client.get("/admin/images/chooser/").json()["html"]
    assert "Photo des mares" in chooser and "Prairie partagée" in chooser


def test_migration_moves_existing_associations_off_the_root(mares):
    root = Collection.get_first_root_node()
    group = mares.members_group
    Association.objects.filter(pk=mares.pk).update(collection=None)
    GroupCollectionPermission.objects.filter(group=group).delete()
    for codename in ("add_image", "choose_image"):  # as groups were set up before
        GroupCollectionPermission.objects.create(
            group=group, collection=root, permission=Permission.objects.get(codename=codename)
        )
    migration = importlib.import_module("associations.migrations.0005_association_image_collection")
    migration.forwards(apps, None)
    mares.refresh_from_db()
    assert mares.collection.get_parent() == root
    assert (root.name, "add_image") not in rights(group)
    assert (mares.collection.name, "add_image") in rights(group)
    assert (SHARED_COLLECTION_NAME, "choose_image") in rights(group)
    assert not any(Collection.find_problems())
