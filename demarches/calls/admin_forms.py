"""Forms of the instruction and review screens."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import choices as c


class ScoreForm(forms.Form):
    """One 0–5 note and a comment per criterion of the call."""

    comment = forms.CharField(label=_("Avis général"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        existing = {score.criterion_id: score for score in review.scores.all()}
        self.initial["comment"] = review.comment
        for criterion in self.criteria:
            score = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.title} (×{criterion.weight})", coerce=int,
                choices=[("", "—")] + [(n, str(n)) for n in range(c.SCORE_MIN, c.SCORE_MAX + 1)],
                initial=score.value if score else "",
                error_messages={"required": _("Notez ce critère de 0 à 5.")},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Commentaire"), required=False, initial=score.comment if score else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self):
        return {criterion: (self.cleaned_data[f"score_{criterion.pk}"], self.cleaned_data[f"comment_{criterion.pk}"])
                for criterion in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Nature du conflit d’intérêts"), max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note privée (visible des instructeurs seulement)"),
                           widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class InformationRequestForm(forms.Form):
    text = forms.CharField(label=_("Compléments demandés au porteur"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Évaluateur (membre du comité)"), queryset=None)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        group = call.committee_group
        users = get_user_model().objects.filter(groups=group) if group else get_user_model().objects.none()
        self.fields["reviewer"].queryset = users.order_by("last_name", "username")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision"), choices=[x for x in c.DECISION_CHOICES if x[0]])
    amount = forms.DecimalField(label=_("Montant accordé (€)"), required=False, min_value=Decimal("0.01"),
                                max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Motif (communiqué au porteur si non retenu)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
