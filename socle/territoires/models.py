"""The French territory, the platform's members, competences, services and routing state."""

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


def search_key(text: str) -> str:
    """Fold a name for searching: no accents, no case, words separated by one space."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.split(r"[^a-z0-9]+", folded)).strip()


def alphabetical(text: str) -> str:
    """Sort key that files « État civil » under E and « Bègles » before « Blanquefort », as a
    French reader expects."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class Collectivite(models.Model):
    """A commune, EPCI, département or région, as the official data describes it."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("Intercommunalité")
        DEPARTEMENT = "departement", _("Département")
        REGION = "region", _("Région")

    class EpciType(models.TextChoices):
        CC = "CC", _("Communauté de communes")
        CA = "CA", _("Communauté d'agglomération")
        CU = "CU", _("Communauté urbaine")
        METRO = "METRO", _("Métropole")
        MET69 = "MET69", _("Métropole de Lyon")
        MGP = "MGP", _("Métropole du Grand Paris")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # INSEE code (commune, département, région) or SIREN (EPCI).
    code = models.CharField(max_length=12)
    nom = models.CharField(max_length=200)
    # The name folded by search_key(), so that « saint emilion » finds « Saint-Émilion ».
    nom_recherche = models.CharField(max_length=200, blank=True, db_index=True)
    epci_type = models.CharField(max_length=8, choices=EpciType.choices, blank=True)
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departement = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    epci = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="communes"
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    # False once the official data no longer lists it (a commune merged into another).
    active = models.BooleanField(default=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_communes"
    )
    # Mairie (or seat) contact, from the Annuaire de l'administration.
    adresse = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # [[first_day, last_day, [[opens, closes], ...]], ...] as the Annuaire publishes it.
    horaires = models.JSONField(default=list, blank=True)
    telephone = models.CharField(max_length=50, blank=True)
    email = models.CharField(max_length=254, blank=True)
    site_web = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="collectivite_kind_code_unique")
        ]
        indexes = [
            models.Index(fields=["kind", "nom"]),
            models.Index(fields=["departement", "kind"]),
        ]
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class CommuneGeometry(models.Model):
    """A commune's boundary (WKB, WGS84), kept apart so everyday queries never load it."""

    commune = models.OneToOneField(
        Collectivite, on_delete=models.CASCADE, primary_key=True, related_name="geometry"
    )
    wkb = models.BinaryField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    def __str__(self) -> str:
        return f"Limites de {self.commune_id}"


class Elu(models.Model):
    """A municipal elected official (Répertoire national des élus); no birth date is kept."""

    commune = models.ForeignKey(Collectivite, on_delete=models.CASCADE, related_name="elus")
    nom = models.CharField(max_length=200)
    prenom = models.CharField(max_length=200)
    sexe = models.CharField(max_length=1, blank=True)
    fonction = models.CharField(max_length=200, blank=True)
    ordre_fonction = models.PositiveSmallIntegerField(null=True, blank=True)
    date_debut_mandat = models.DateField(null=True, blank=True)
    date_debut_fonction = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["commune", "ordre_fonction", "nom"]
        indexes = [models.Index(fields=["commune", "ordre_fonction"])]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}"


class Competence(models.Model):
    """A public competence and who holds it when nothing says otherwise."""

    class Level(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("Intercommunalité")
        DEPARTEMENT = "departement", _("Département")
        REGION = "region", _("Région")

    code = models.SlugField(max_length=50, unique=True)
    nom = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    default_level = models.CharField(max_length=12, choices=Level.choices)
    # EPCI types that hold this competence for their communes by law (e.g. voirie: CU, METRO).
    epci_types = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class CompetenceTransfer(models.Model):
    """Whether an EPCI holds a competence for its member communes, overriding the defaults."""

    epci = models.ForeignKey(Collectivite, on_delete=models.CASCADE, related_name="transfers")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="+")
    transferred = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["epci", "competence"], name="transfer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.epci_id}/{self.competence_id}: {self.transferred}"


class CompetenceOverride(models.Model):
    """For one commune and competence, who holds it, as set by an administrator."""

    commune = models.ForeignKey(Collectivite, on_delete=models.CASCADE, related_name="overrides")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="+")
    holder = models.ForeignKey(Collectivite, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "competence"], name="override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id}/{self.competence_id} → {self.holder_id}"


class RoutingVersion(models.Model):
    """Counters bumped when what routing depends on changes, so every process rebuilds."""

    territory = models.PositiveBigIntegerField(default=0)
    rules = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"territoire {self.territory}, règles {self.rules}"
