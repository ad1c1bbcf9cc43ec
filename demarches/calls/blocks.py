"""The questions a librarian builds in the editor; the application form is generated from them.

Each question is a StreamField child: its block id (stable across edits) is the key of the answer in
`Application.answers` and of the files in `ApplicationFile.question_id`.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class QuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Question"), max_length=300)
    help_text = blocks.CharBlock(label=_("Aide"), required=False, max_length=500)
    required = blocks.BooleanBlock(label=_("Réponse obligatoire"), required=False, default=True)

    class Meta:
        icon = "help"


class ShortTextQuestion(QuestionBlock):
    class Meta:
        label = _("Texte court")


class LongTextQuestion(QuestionBlock):
    max_length = blocks.IntegerBlock(label=_("Nombre maximal de caractères"), min_value=50, default=2000)

    class Meta:
        label = _("Texte long")
        icon = "pilcrow"


class AmountQuestion(QuestionBlock):
    class Meta:
        label = _("Montant en euros")
        icon = "decimal"


class DateQuestion(QuestionBlock):
    class Meta:
        label = _("Date")
        icon = "date"


class ChoiceQuestion(QuestionBlock):
    choices = blocks.TextBlock(label=_("Choix possibles, un par ligne"))

    class Meta:
        label = _("Choix dans une liste")
        icon = "list-ul"


class CheckboxQuestion(QuestionBlock):
    class Meta:
        label = _("Case à cocher")
        icon = "tick-inverse"


class FileQuestion(QuestionBlock):
    class Meta:
        label = _("Pièce jointe")
        icon = "doc-full"


def question_blocks():
    return [
        ("short_text", ShortTextQuestion()),
        ("long_text", LongTextQuestion()),
        ("amount", AmountQuestion()),
        ("date", DateQuestion()),
        ("choice", ChoiceQuestion()),
        ("checkbox", CheckboxQuestion()),
        ("file", FileQuestion()),
    ]


class FaqBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.RichTextBlock(label=_("Réponse"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Question fréquente")
