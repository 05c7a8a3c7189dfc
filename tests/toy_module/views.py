from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from socle.api.http import api_error, json_response, keyed_endpoint
from socle.membres.decorators import membre_view
from socle.membres.permissions import grants_for
from socle.membres.selectors import membre_public
from tests.toy_module.selectors import get_parcelle_for_user, membre_parcelles
from tests.toy_module.services import parcelle_create


@membre_view("jardins.voir")
def parcelles(request, membre):
    """The member's plots; an administrator adds one."""
    error = ""
    if request.method == "POST":
        if not grants_for(request.user).has("jardins.gerer", membre):
            return render(request, "403.html", status=403)
        try:
            parcelle_create(
                acting_user=request.user, membre=membre, nom=request.POST.get("nom", "")
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("gestion:jardins:parcelles", slug=membre.slug)
    return render(
        request,
        "jardins/parcelles.html",
        {"membre": membre, "parcelles": membre_parcelles(membre=membre), "error": error},
        status=400 if error else 200,
    )


@membre_view("jardins.voir")
def parcelle(request, membre, pk):
    """One plot of the member."""
    found = get_parcelle_for_user(user=request.user, membre=membre, pk=pk)
    return render(request, "jardins/parcelles.html", {"membre": membre, "parcelles": [found]})


def accueil(request, slug):
    """The member's public page of plots."""
    membre = membre_public(slug)
    if membre is None or "jardins" not in membre.modules:
        raise Http404
    return render(
        request,
        "jardins/parcelles.html",
        {"membre": membre, "parcelles": membre_parcelles(membre=membre)},
    )


@keyed_endpoint("jardins.lire")
def api_parcelles(request, slug):
    """The member's plots, as JSON, for a key with the scope jardins.lire."""
    membre = membre_public(slug)
    if membre is None or "jardins" not in membre.modules:
        return api_error(404, "membre_inconnu", "Membre inconnu.")
    return json_response(
        {"results": [{"id": p.pk, "nom": p.nom} for p in membre_parcelles(membre=membre)]}
    )
