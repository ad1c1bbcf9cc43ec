from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
import django_filters

from biodiversitheque.models import Theme

from .models import Association


class AssociationFilterSet(WagtailFilterSet):
    themes = django_filters.ModelMultipleChoiceFilter(
        label=_("Thèmes"), queryset=Theme.objects.all(), distinct=True
    )
    city = django_filters.CharFilter(label=_("Commune"), lookup_expr="iexact")

    class Meta:
        model = Association
        fields = ["themes", "city"]


class AssociationViewSet(SnippetViewSet):
    model = Association
    icon = "group"
    menu_label = _("Associations")
    menu_name = "associations"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "city", "email"]
    search_fields = ["name", "summary", "city"]
    filterset_class = AssociationFilterSet
    ordering = ["name"]


register_snippet(AssociationViewSet)
