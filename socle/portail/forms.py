"""Forms of the portail: the opérateur's edit form of a footer page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socle.portail.models import PagePlateforme


class PageForm(forms.Form):
    titre = forms.CharField(label=_("Titre"), max_length=200)
    contenu = forms.CharField(
        label=_("Contenu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "En Markdown : ## pour un intertitre, une ligne vide entre deux paragraphes, "
            "- pour une liste, [texte](https://adresse) pour un lien."
        ),
    )
    conformite = forms.ChoiceField(
        label=_("Niveau de conformité au RGAA"),
        choices=PagePlateforme.Conformite.choices,
        widget=forms.RadioSelect,
        help_text=_("Il s’affiche dans le pied de chaque page, à côté du lien « Accessibilité »."),
    )

    def __init__(self, *args, page: PagePlateforme, **kwargs):
        super().__init__(*args, **kwargs)
        if page.code != PagePlateforme.Code.ACCESSIBILITE:
            del self.fields["conformite"]
