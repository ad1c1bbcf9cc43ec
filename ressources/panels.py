"""Admin panel showing an inventory's observations as a summary instead of thousands of inline rows."""

from wagtail.admin.panels import Panel


class ObservationSummaryPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "ressources/admin/observation_summary_panel.html"

        def get_context_data(self, parent_context=None):
            from django.db.models import Count, Max, Min
            from django.urls import reverse

            context = super().get_context_data(parent_context)
            page = self.instance
            context["saved"] = bool(page.pk)
            if page.pk:
                context["stats"] = page.observations.aggregate(
                    total=Count("pk"), species=Count("taxon", distinct=True),
                    first=Min("observed_on"), last=Max("observed_on"),
                )
                context["list_url"] = reverse("wagtailsnippets_ressources_observation:list") + f"?inventory={page.pk}"
                context["import_url"] = reverse("ressources_import_observations", args=[page.pk])
            return context
