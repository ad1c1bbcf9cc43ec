"""Site search documents of the associations directory."""

from biodiversitheque.search.registry import Entry, Provider, join_text, register

from .models import Association


@register
class AssociationProvider(Provider):
    model = Association
    kind = "association"

    def queryset(self):
        return Association.objects.prefetch_related("themes").order_by("pk")

    def entries(self, association):
        url = association.get_url()
        if not url:  # no public directory: nowhere to send people
            return
        yield Entry(
            kind=self.kind,
            title=association.name,
            url=url,
            summary=association.summary,
            text=join_text([association.description, association.address, association.postal_code, association.city]),
            themes=[theme.slug for theme in association.themes.all()],
        )
