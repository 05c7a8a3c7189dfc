"""Open data: datasets of a member (or the structure), their published versions and rows, and
their publication on data.gouv.fr."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Jeu(models.Model):
    """A dataset: what it is, under which licence and schema, and where it comes from."""

    class Licence(models.TextChoices):
        LO = "lo-2.0", _("Licence Ouverte 2.0 (Etalab)")
        ODBL = "odbl", _("Open Database License (ODbL)")

    class Source(models.TextChoices):
        DEPOSE = "depose", _("Déposé par la collectivité")
        GENERE = "genere", _("Produit par la plateforme")

    class Frequence(models.TextChoices):
        CONTINUE = "continuous", _("En continu")
        QUOTIDIENNE = "daily", _("Quotidienne")
        HEBDOMADAIRE = "weekly", _("Hebdomadaire")
        MENSUELLE = "monthly", _("Mensuelle")
        ANNUELLE = "annual", _("Annuelle")
        PONCTUELLE = "punctual", _("Ponctuelle")
        INCONNUE = "unknown", _("Inconnue")

    # None: a dataset of the structure itself.
    membre = models.ForeignKey(
        "membres.Membre", null=True, blank=True, on_delete=models.CASCADE, related_name="jeux"
    )
    slug = models.SlugField(max_length=80)
    titre = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    licence = models.CharField(max_length=10, choices=Licence.choices, default=Licence.LO)
    # A national schema ("scdl/subventions"), ours ("socle/signalements"), or "" for none.
    schema = models.CharField(max_length=80, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DEPOSE)
    # For a generated dataset, what produces it ("equipements", "signalements", "elus"…).
    generateur = models.CharField(max_length=40, blank=True)
    frequence = models.CharField(
        max_length=12, choices=Frequence.choices, default=Frequence.INCONNUE
    )
    # Rows carry a point (latitude/longitude columns): GeoJSON and a map are offered.
    geographique = models.BooleanField(default=False)
    mots_cles = models.JSONField(default=list, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    # When its latest version was published: the « last modified » of pages, API and DCAT.
    modifie_le = models.DateTimeField(null=True, blank=True)
    # Published on data.gouv.fr (udata's ids), when it was.
    datagouv_id = models.CharField(max_length=40, blank=True)
    datagouv_resource_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["titre"]
        constraints = [
            models.UniqueConstraint(fields=["membre", "slug"], name="jeu_slug_unique"),
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(membre__isnull=True), name="jeu_slug_structure"
            ),
        ]

    def __str__(self) -> str:
        return self.titre


class Version(models.Model):
    """A published version of a dataset: its file (UTF-8 CSV, as validated), never changed."""

    jeu = models.ForeignKey(Jeu, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveIntegerField()
    publie_le = models.DateTimeField(default=timezone.now)
    publie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The file as validated and served (UTF-8, comma-separated, header first).
    fichier = models.FileField(upload_to="opendata/versions/")
    nom_origine = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    colonnes = models.JSONField(default=list)
    nb_lignes = models.PositiveIntegerField(default=0)
    # validata-table's report summary (warnings kept; a published version has no error).
    rapport = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-numero"]
        constraints = [
            models.UniqueConstraint(fields=["jeu", "numero"], name="version_numero_unique")
        ]

    def __str__(self) -> str:
        return f"{self.jeu} v{self.numero}"


class Ligne(models.Model):
    """A row of a published version, for the dataset's API (filters, sorting, pages)."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="lignes")
    numero = models.PositiveIntegerField()
    donnees = models.JSONField()

    class Meta:
        ordering = ["numero"]
        constraints = [
            models.UniqueConstraint(fields=["version", "numero"], name="ligne_numero_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.numero}"


class CompteDataGouv(models.Model):
    """A member's data.gouv.fr organisation and API key (encrypted at rest)."""

    membre = models.OneToOneField(
        "membres.Membre", on_delete=models.CASCADE, related_name="compte_datagouv"
    )
    organisation = models.CharField(max_length=40)
    cle_chiffree = models.TextField()
    actif = models.BooleanField(default=True)
    modifie_le = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"data.gouv.fr {self.organisation}"


class PublicationDataGouv(models.Model):
    """One version to publish on data.gouv.fr: retried until done, its state shown."""

    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente")
        PUBLIE = "publie", _("Publié")
        ECHEC = "echec", _("Échec (nouvel essai prévu)")
        ABANDON = "abandon", _("Échec définitif")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="publications")
    etat = models.CharField(max_length=12, choices=Etat.choices, default=Etat.EN_ATTENTE)
    tentatives = models.PositiveIntegerField(default=0)
    prochain_essai = models.DateTimeField(default=timezone.now)
    derniere_erreur = models.TextField(blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    publie_le = models.DateTimeField(null=True, blank=True)
    # A worker that took it, until when (a killed worker's claim expires).
    reserve_jusqu_a = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]

    def __str__(self) -> str:
        return f"{self.version} → data.gouv.fr ({self.etat})"


class Depot(models.Model):
    """A file uploaded in the back office that is too large to validate within the request: a
    task validates and publishes it, and the dataset's page shows where it stands."""

    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", _("Validation en cours")
        PUBLIE = "publie", _("Publié")
        REFUSE = "refuse", _("Refusé")

    jeu = models.ForeignKey(Jeu, on_delete=models.CASCADE, related_name="depots")
    fichier = models.FileField(upload_to="opendata/depots/")
    nom = models.CharField(max_length=200, blank=True)
    feuille = models.CharField(max_length=100, blank=True)
    etat = models.CharField(max_length=12, choices=Etat.choices, default=Etat.EN_ATTENTE)
    rapport = models.JSONField(default=dict, blank=True)
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    depose_le = models.DateTimeField(default=timezone.now)
    traite_le = models.DateTimeField(null=True, blank=True)
    # Set while a worker validates it (a second copy of the task then does nothing).
    pris_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-depose_le", "-pk"]

    def __str__(self) -> str:
        return f"{self.jeu} : {self.nom} ({self.etat})"
