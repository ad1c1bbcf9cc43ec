"""Associations' admin space: their members' group, image collection and access, invitations.

Access is Wagtail's own: each association has a group (the agenda gives it add/change rights on the
association's events folder). Memberships decide which groups a person is in; `sync_user_access`
recomputes that at every change, so a removal takes effect at once.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.sites import shared_image_collection, site_name

from .models import Association, Membership
from .permissions import forget_cached_scope

# Members upload to (and choose from) their association's collection, and choose from the shared one.
MEMBER_COLLECTION_PERMISSIONS = ("add_image", "choose_image")
SHARED_COLLECTION_PERMISSIONS = ("choose_image",)


class MembershipError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def members_group_name(association):
    return f"Association : {association.slug}"[:150]


@transaction.atomic
def ensure_association_access(association):
    """Create or update the association's members group and image collection. Idempotent; returns the group.
    (Its events folder under the agenda is the agenda's: `ateliers.association_folders`.)"""
    group = _ensure_members_group(association)
    _ensure_collection(association, group)
    return group


def _ensure_members_group(association):
    name = members_group_name(association)
    group = association.members_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=name)
        Association.objects.filter(pk=association.pk).update(members_group=group)
        association.members_group = group
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    if not group.permissions.exists():
        group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group


def shared_collection():
    return shared_image_collection()


def _ensure_collection(association, group):
    """The association's own image collection (a child of the root) and its group's rights on it: upload
    and choose there, choose in the shared collection, nothing on the root (which would reach every
    association's collection below it)."""
    name = f"Association : {association.name}"[:255]
    root = Collection.get_first_root_node()
    if root is None:  # a database emptied of Wagtail's own rows (live-server tests)
        return
    collection = association.collection
    if collection is None:
        collection = root.add_child(name=name)
        Association.objects.filter(pk=association.pk).update(collection=collection)
        association.collection = collection
    elif collection.name != name:
        collection.name = name
        collection.save(update_fields=["name"])
    wanted = [(collection, codename) for codename in MEMBER_COLLECTION_PERMISSIONS]
    wanted += [(shared_collection(), codename) for codename in SHARED_COLLECTION_PERMISSIONS]
    for target, codename in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=target,
            permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename),
        )
    GroupCollectionPermission.objects.filter(group=group).exclude(
        collection__in=[target for target, _codename in wanted]
    ).delete()


@transaction.atomic
def sync_user_access(user):
    """Put the user in exactly the groups of their associations; an account left with no membership,
    no other group and no staff rights is deactivated (its sessions stop working at once)."""
    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user.pk)
    wanted = set(
        Group.objects.filter(association__memberships__user=user).values_list("pk", flat=True)
    )
    current = set(user.groups.filter(association__isnull=False).values_list("pk", flat=True))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
    has_other_access = user.is_superuser or user.is_staff or user.groups.filter(association__isnull=True).exists()
    active = bool(wanted) or has_other_access
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    forget_cached_scope(user)
    return user


@transaction.atomic
def invite_member(association, email, first_name="", last_name="", invited_by=None):
    """Give a person access to the association's space: reuse the account with this e-mail address or
    create one without a password, then e-mail a link to set a password (Django's reset tokens)."""
    email = get_user_model().objects.normalize_email((email or "").strip()).lower()
    if not email:
        raise MembershipError("email", _("Indiquez l'adresse e-mail de la personne à inviter."))
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).order_by("pk").first()
    new_account = user is None
    if new_account:
        if user_model.objects.filter(username__iexact=email).exists():
            raise MembershipError("username", _("Un compte porte déjà ce nom d'utilisateur."))
        user = user_model.objects.create_user(
            username=email[:150], email=email, password=None, first_name=first_name, last_name=last_name
        )
    membership, created = Membership.objects.get_or_create(
        user=user, association=association, defaults={"invited_by": invited_by}
    )
    if not created:
        raise MembershipError(
            "already_member", _("%(person)s est déjà membre de %(association)s.")
            % {"person": email, "association": association.name}
        )
    ensure_association_access(association)
    user = sync_user_access(user)
    transaction.on_commit(lambda: send_invitation(membership, needs_password=not user.has_usable_password()))
    return membership


@transaction.atomic
def remove_membership(membership):
    user = membership.user
    membership.delete()
    return sync_user_access(user)


def send_invitation(membership, needs_password):
    user = membership.user
    if needs_password:
        link = absolute_url(reverse(
            "wagtailadmin_password_reset_confirm",
            kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
        ))
    else:
        link = absolute_url(reverse("wagtailadmin_login"))
    context = {
        "membership": membership,
        "association": membership.association,
        "user": user,
        "link": link,
        "needs_password": needs_password,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "site_name": site_name(),
        "username": user.get_username(),
    }
    subject = _("Votre accès à l'espace des associations : %(association)s") % {
        "association": membership.association.name
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("associations/emails/invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("associations/emails/invitation.html", context), "text/html")
    message.send()
