"""The citizen's file: profile, household, addresses, reference documents, and encrypted files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FichierChiffre(models.Model):
    """A file stored encrypted at rest (AES-256-GCM with its own data key, wrapped by a key from
    the environment): a reference document, a dossier's attachment, a generated PDF."""

    # The citizen whose data it is (None once an account is deleted and the file kept).
    proprietaire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fichiers_chiffres",
    )
    # The name to show and to download as (sanitised), its checked type and clear size.
    nom = models.CharField(max_length=200)
    type_mime = models.CharField(max_length=120)
    taille = models.PositiveBigIntegerField()
    # SHA-256 (hex) of the clear content.
    sha256 = models.CharField(max_length=64)
    # Path of the ciphertext, relative to settings.CITOYEN_FILES_DIR.
    chemin = models.CharField(max_length=200, unique=True)
    # The data key, wrapped (Fernet token) by the first key of SOCLE_ENCRYPTION_KEY.
    cle_chiffree = models.TextField()
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["proprietaire", "cree_le"])]

    def __str__(self) -> str:
        return self.nom


class Profil(models.Model):
    """What the citizen told us about himself or herself beyond the account and FranceConnect."""

    usager = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil_citoyen"
    )
    telephone = models.CharField(max_length=20, blank=True)
    # Only when no FranceConnect identity gives it (which then wins, as verified).
    date_naissance = models.DateField(null=True, blank=True)
    modifie_le = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"profil {self.usager_id}"


class Proche(models.Model):
    """A member of the citizen's household: spouse, child, other."""

    class Lien(models.TextChoices):
        CONJOINT = "conjoint", _("Conjoint ou conjointe")
        ENFANT = "enfant", _("Enfant")
        AUTRE = "autre", _("Autre personne du foyer")

    usager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proches"
    )
    lien = models.CharField(max_length=10, choices=Lien.choices)
    prenom = models.CharField(max_length=100)
    nom = models.CharField(max_length=100)
    date_naissance = models.DateField(null=True, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["lien", "date_naissance", "prenom", "pk"]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}"


class Adresse(models.Model):
    """An address of the citizen (home first), as the national address base gives it."""

    usager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adresses"
    )
    libelle = models.CharField(max_length=60, default="Domicile")
    # Number and street ("12 rue des Lilas"), then complement, postcode, commune.
    voie = models.CharField(max_length=200)
    complement = models.CharField(max_length=200, blank=True)
    code_postal = models.CharField(max_length=5)
    commune_nom = models.CharField(max_length=200)
    commune_code = models.CharField(max_length=5, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    principale = models.BooleanField(default=False)
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-principale", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["usager"],
                condition=models.Q(principale=True),
                name="adresse_une_principale",
            )
        ]

    def __str__(self) -> str:
        return f"{self.voie}, {self.code_postal} {self.commune_nom}"


class Piece(models.Model):
    """A reference document the citizen keeps to give it once: proof of address, family book…"""

    class Type(models.TextChoices):
        JUSTIFICATIF_DOMICILE = "justificatif_domicile", _("Justificatif de domicile")
        LIVRET_FAMILLE = "livret_famille", _("Livret de famille")
        ATTESTATION_CAF = "attestation_caf", _("Attestation de quotient familial (CAF)")
        PIECE_IDENTITE = "piece_identite", _("Pièce d’identité")
        AVIS_IMPOSITION = "avis_imposition", _("Avis d’imposition")
        RIB = "rib", _("Relevé d’identité bancaire")
        ASSURANCE = "assurance", _("Attestation d’assurance")
        AUTRE = "autre", _("Autre document")

    usager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pieces_citoyen"
    )
    type = models.CharField(max_length=30, choices=Type.choices)
    libelle = models.CharField(max_length=150, blank=True)
    fichier = models.OneToOneField(
        FichierChiffre, on_delete=models.PROTECT, related_name="piece_citoyen"
    )
    # Past this date the document is flagged as expired (a proof of address: 3 months).
    valide_jusqu_au = models.DateField(null=True, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["type", "-cree_le", "-pk"]

    def __str__(self) -> str:
        return self.libelle or str(self.get_type_display())

    @property
    def expiree(self) -> bool:
        """Say whether its validity date has passed."""
        return self.valide_jusqu_au is not None and self.valide_jusqu_au < timezone.localdate()
