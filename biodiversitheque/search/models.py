"""The site search index: one row per findable thing, with its text already normalised (see text.py).

SQLite keeps an FTS5 table in sync with SearchDocument through triggers, PostgreSQL keeps generated tsvector
columns with GIN indexes (migration 0002). If this model is altered on SQLite, re-create those triggers.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import kind_labels
from .text import terms

class SearchDocument(models.Model):
    # The kinds and their labels are the providers' (registry.kind_labels()): no app is listed here.
    kind = models.CharField(_("type"), max_length=20, db_index=True)
    # The object the row was built from (pages: always wagtailcore.Page, so a deletion at any level finds it).
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(_("clé"), max_length=100, blank=True, help_text=_("Plusieurs lignes par objet (espèces)."))
    title = models.CharField(_("titre"), max_length=400)
    url = models.CharField(_("adresse"), max_length=500)
    summary = models.TextField(_("résumé"), blank=True)
    text = models.TextField(_("texte"), blank=True)
    title_norm = models.TextField(blank=True)
    summary_norm = models.TextField(blank=True)
    body_norm = models.TextField(blank=True)
    title_words = models.TextField(blank=True, help_text="Mots du titre non racinisés, pour l'autocomplétion.")
    boost = models.FloatField(_("pondération"), default=1.0)
    indexed_at = models.DateTimeField(_("indexé le"), auto_now=True)

    class Meta:
        verbose_name = _("document indexé")
        verbose_name_plural = _("documents indexés")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "key"], name="sitesearch_unique_source")
        ]
        # Facet counts read the kind of up to COUNT_CAP documents: from this index, not from the wide rows.
        indexes = [models.Index(fields=["id", "kind"], name="sitesearch_document_kind")]

    def __str__(self):
        return self.title

    @property
    def kind_label(self):
        return kind_labels().get(self.kind, self.kind)


class SearchFacet(models.Model):
    """A theme or audience slug of a document, counted for facets."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["facet", "value"]), models.Index(fields=["document", "facet"])]


class SearchTerm(models.Model):
    """Vocabulary of indexed terms with the number of documents using them: spelling suggestions."""

    term = models.CharField(max_length=100, unique=True)
    word = models.CharField(max_length=100, help_text="Un mot du texte qui donne ce terme, à afficher.")
    frequency = models.IntegerField(default=0)


class UnmatchedQuery(models.Model):
    """A search that found nothing, for librarians: what residents look for and we lack."""

    query_string = models.CharField(_("recherche"), max_length=255, unique=True)
    hits = models.PositiveIntegerField(_("nombre de fois"), default=0)
    first_seen = models.DateTimeField(_("première fois"), auto_now_add=True)
    last_seen = models.DateTimeField(_("dernière fois"), auto_now=True)

    class Meta:
        verbose_name = _("recherche sans résultat")
        verbose_name_plural = _("recherches sans résultat")
        ordering = ["-hits", "-last_seen"]

    def __str__(self):
        return self.query_string


class Synonym(models.Model):
    """Words that find one another, managed by librarians ("tondre, tonte"): applied to every query."""

    words = models.CharField(
        _("mots équivalents"),
        max_length=500,
        help_text=_("Au moins deux mots, séparés par des virgules : « tondre, tonte, tondeuse ». Chacun trouve les autres."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("synonyme")
        verbose_name_plural = _("synonymes")
        ordering = ["words"]

    def __str__(self):
        return self.words

    def word_list(self):
        return [word.strip() for word in self.words.split(",") if word.strip()]

    def clean(self):
        found = {}
        for word in self.word_list():
            word_terms = terms(word)
            if len(word_terms) != 1:
                raise ValidationError(
                    {"words": _("« %(word)s » n'est pas un mot seul que la recherche retient (pas de mot vide comme "
                                "« le », pas d'expression).") % {"word": word}}
                )
            found.setdefault(word_terms[0], word)
        if len(found) < 2:
            raise ValidationError({"words": _("Indiquez au moins deux mots différents, séparés par des virgules.")})
        self.words = ", ".join(self.word_list())
