"""StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titre"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Niveau 2")), ("h3", _("Niveau 3"))], default="h2", label=_("Niveau")
    )

    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Texte alternatif"),
        required=False,
        help_text=_("Décrit l'image pour les personnes qui ne la voient pas. Vide si décorative."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("info", _("Information")),
            ("tip", _("Astuce")),
            ("warning", _("Attention")),
        ],
        default="info",
        label=_("Type"),
    )
    title = blocks.CharBlock(label=_("Titre"), required=False)
    text = blocks.RichTextBlock(label=_("Texte"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Encadré")
        template = "blocks/callout_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citation"))
    author = blocks.CharBlock(label=_("Auteur ou autrice"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "blocks/quote_block.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre de l'étape"), max_length=200)
    text = blocks.RichTextBlock(label=_("Explications"), features=RICH_TEXT_FEATURES)
    image = ImageChooserBlock(label=_("Illustration"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Étape")
        template = "blocks/step_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Intitulé"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document_block.html"


def body_blocks():
    """The blocks offered in free-text bodies."""
    return [
        ("paragraph", blocks.RichTextBlock(label=_("Paragraphe"), features=RICH_TEXT_FEATURES)),
        ("heading", HeadingBlock()),
        ("image", ImageBlock()),
        ("callout", CalloutBlock()),
        ("quote", QuoteBlock()),
        ("document", DocumentBlock()),
    ]

