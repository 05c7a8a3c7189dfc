"""Citizen reports (signalements): categories, reports, their photos, history and messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DESCRIPTION_MAX = 4000


class Categorie(models.Model):
    """A kind of problem, tied to a competence: the platform's taxonomy or a member's own."""

    code = models.SlugField(max_length=60)
    nom = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    competence = models.ForeignKey(
        "territoires.Competence", on_delete=models.PROTECT, related_name="+"
    )
    # None: the platform's taxonomy, offered everywhere; else a category only this member offers.
    membre = models.ForeignKey(
        "membres.Membre",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="categories_signalement",
    )
    # Open reports of the same category this close and this recent are offered as duplicates.
    rayon_doublons_m = models.PositiveIntegerField(default=50)
    jours_doublons = models.PositiveIntegerField(default=30)
    ordre = models.PositiveIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordre", "nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(membre__isnull=True),
                name="categorie_platform_code_unique",
            ),
            models.UniqueConstraint(fields=["membre", "code"], name="categorie_member_code_unique"),
        ]

    def __str__(self) -> str:
        return self.nom


class CategorieReglage(models.Model):
    """How a member shows one of the platform's categories on its territory: off, or renamed."""

    membre = models.ForeignKey(
        "membres.Membre", on_delete=models.CASCADE, related_name="reglages_categories"
    )
    categorie = models.ForeignKey(Categorie, on_delete=models.CASCADE, related_name="reglages")
    active = models.BooleanField(default=True)
    nom = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membre", "categorie"], name="categorie_reglage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.membre_id}: {self.categorie_id}"


class Question(models.Model):
    """An extra question a member asks for one category on its territory (Open311 attribute)."""

    class Kind(models.TextChoices):
        TEXTE = "string", _("Texte court")
        NOMBRE = "number", _("Nombre")
        CHOIX = "singlevaluelist", _("Choix dans une liste")
        OUI_NON = "yesno", _("Oui ou non")

    membre = models.ForeignKey(
        "membres.Membre", on_delete=models.CASCADE, related_name="questions_signalement"
    )
    categorie = models.ForeignKey(Categorie, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=60)
    libelle = models.CharField(max_length=200)
    aide = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEXTE)
    # For a list: [["key", "label"], ...]
    choix = models.JSONField(default=list, blank=True)
    obligatoire = models.BooleanField(default=False)
    ordre = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["ordre", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membre", "categorie", "code"], name="question_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.libelle


class Reglages(models.Model):
    """A member's choices for its reports."""

    membre = models.OneToOneField(
        "membres.Membre", on_delete=models.CASCADE, related_name="reglages_signalements"
    )
    # False: a report is public at once; True: an agent reviews it first.
    moderation_prealable = models.BooleanField(default=False)
    # Months after a report is closed before its reporter's personal data is erased.
    retention_mois = models.PositiveIntegerField(default=12)

    def __str__(self) -> str:
        return f"réglages {self.membre_id}"


class ModeleReponse(models.Model):
    """A public reply a member's agents start from."""

    membre = models.ForeignKey(
        "membres.Membre", on_delete=models.CASCADE, related_name="modeles_reponse"
    )
    titre = models.CharField(max_length=120)
    texte = models.TextField(max_length=DESCRIPTION_MAX)

    class Meta:
        ordering = ["titre"]

    def __str__(self) -> str:
        return self.titre


class Signalement(models.Model):
    """A problem a citizen reported at a place."""

    class Statut(models.TextChoices):
        NOUVEAU = "nouveau", _("Nouveau")
        PRIS_EN_COMPTE = "pris_en_compte", _("Pris en compte")
        PROGRAMME = "programme", _("Programmé")
        EN_COURS = "en_cours", _("En cours")
        RESOLU = "resolu", _("Résolu")
        REJETE = "rejete", _("Rejeté")
        DOUBLON = "doublon", _("Doublon")

    class Priorite(models.IntegerChoices):
        BASSE = 1, _("Basse")
        NORMALE = 2, _("Normale")
        HAUTE = 3, _("Haute")

    class Source(models.TextChoices):
        WEB = "web", _("Site")
        OPEN311 = "open311", _("API Open311")

    reference = models.CharField(max_length=12, unique=True)
    categorie = models.ForeignKey(Categorie, on_delete=models.PROTECT, related_name="signalements")
    # The name the citizen saw (a member may rename a category later).
    categorie_nom = models.CharField(max_length=120)
    description = models.TextField(max_length=DESCRIPTION_MAX)
    # The text as written, kept while personal data an agent edited out may be needed.
    description_originale = models.TextField(blank=True)
    reponses = models.JSONField(default=dict, blank=True)

    lat = models.FloatField()
    lon = models.FloatField()
    adresse = models.CharField(max_length=300, blank=True)
    # Placed from a commune and a text, not on a map: an agent should check the point.
    position_approchee = models.BooleanField(default=False)
    commune_code = models.CharField(max_length=5, db_index=True)
    commune_nom = models.CharField(max_length=200)

    # Who acts: the competent collectivité (a member or not) and, when a member, its service.
    titulaire_code = models.CharField(max_length=20)
    titulaire_nom = models.CharField(max_length=200)
    membre = models.ForeignKey(
        "membres.Membre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signalements",
    )
    service = models.ForeignKey(
        "membres.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signalements",
    )
    # A non-member's public contact (JSON from routing), for the citizen and the opérateur.
    contact = models.JSONField(default=dict, blank=True)

    statut = models.CharField(
        max_length=20, choices=Statut.choices, default=Statut.NOUVEAU, db_index=True
    )
    priorite = models.PositiveSmallIntegerField(choices=Priorite.choices, default=Priorite.NORMALE)
    assigne_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signalements_assignes",
    )
    doublon_de = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="doublons"
    )

    # The reporter: an account, or an address confirmed by a link. Never public.
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signalements",
    )
    auteur_email = models.EmailField(blank=True)
    auteur_nom = models.CharField(max_length=200, blank=True)
    auteur_telephone = models.CharField(max_length=40, blank=True)
    anonymise_le = models.DateTimeField(null=True, blank=True)

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    # The Open311 client (an API key) that posted it.
    cle_api = models.ForeignKey(
        "api.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    cree_le = models.DateTimeField(default=timezone.now, db_index=True)
    modifie_le = models.DateTimeField(default=timezone.now, db_index=True)
    # Confirmed by its reporter (at once when logged in or posted by an Open311 client).
    confirme_le = models.DateTimeField(null=True, blank=True)
    # Shown to the public (at confirmation, or once reviewed where moderation holds reports).
    publie_le = models.DateTimeField(null=True, blank=True)
    masque_le = models.DateTimeField(null=True, blank=True)
    motif_masquage = models.CharField(max_length=300, blank=True)
    # First answer from the collectivité (any status change or public reply), then closure.
    premiere_reponse_le = models.DateTimeField(null=True, blank=True)
    resolu_le = models.DateTimeField(null=True, blank=True)
    clos_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        indexes = [
            models.Index(fields=["membre", "statut", "-cree_le"], name="signalement_queue"),
            models.Index(fields=["service", "statut", "-cree_le"], name="signalement_service"),
            models.Index(fields=["categorie", "lat"], name="signalement_nearby"),
            models.Index(fields=["titulaire_code", "-cree_le"], name="signalement_titulaire"),
            models.Index(fields=["clos_le"], name="signalement_clos"),
            # Open311 lists (public reports of a member, by category and status, newest first)
            # and the count of an agent's queue: bench/signalements.py measures both.
            models.Index(
                fields=["membre", "categorie", "statut", "-cree_le"],
                condition=models.Q(publie_le__isnull=False, masque_le__isnull=True),
                name="signalement_open311",
            ),
            models.Index(
                fields=["membre", "service", "statut", "-cree_le"],
                condition=models.Q(confirme_le__isnull=False),
                name="signalement_queue_confirme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.categorie_nom}"

    @property
    def ouvert(self) -> bool:
        """Say whether the collectivité still has something to do."""
        return self.statut in OPEN_STATUSES

    @property
    def public(self) -> bool:
        """Say whether anyone may see it."""
        return self.publie_le is not None and self.masque_le is None


OPEN_STATUSES = (
    Signalement.Statut.NOUVEAU,
    Signalement.Statut.PRIS_EN_COMPTE,
    Signalement.Statut.PROGRAMME,
    Signalement.Statut.EN_COURS,
)
CLOSED_STATUSES = (
    Signalement.Statut.RESOLU,
    Signalement.Statut.REJETE,
    Signalement.Statut.DOUBLON,
)


class Photo(models.Model):
    """A photo of a report, stripped of its metadata and re-encoded."""

    signalement = models.ForeignKey(Signalement, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="signalements/photos/")
    vignette = models.FileField(upload_to="signalements/vignettes/")
    largeur = models.PositiveIntegerField()
    hauteur = models.PositiveIntegerField()
    masque_le = models.DateTimeField(null=True, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"photo {self.pk} de {self.signalement_id}"


class Evenement(models.Model):
    """One line of a report's history: who did what, and whether the public sees it."""

    class Kind(models.TextChoices):
        CREE = "cree", _("Signalement reçu")
        CONFIRME = "confirme", _("Adresse confirmée")
        PUBLIE = "publie", _("Publié")
        STATUT = "statut", _("Statut changé")
        REPONSE = "reponse", _("Réponse publique")
        NOTE = "note", _("Note interne")
        ASSIGNE = "assigne", _("Attribué")
        REORIENTE = "reoriente", _("Réorienté")
        PRIORITE = "priorite", _("Priorité changée")
        MASQUE = "masque", _("Masqué")
        DEMASQUE = "demasque", _("Rendu visible")
        PHOTO_MASQUEE = "photo_masquee", _("Photo masquée")
        TEXTE_MODIFIE = "texte_modifie", _("Description expurgée")
        POSITION = "position", _("Position corrigée")
        SUIVI = "suivi", _("Nouvel abonné")
        FUSION = "fusion", _("Doublon fusionné")
        ENVOI_ECHOUE = "envoi_echoue", _("Envoi en échec")
        ENVOI_RELANCE = "envoi_relance", _("Envoi relancé")
        ANONYMISE = "anonymise", _("Données personnelles effacées")

    signalement = models.ForeignKey(
        Signalement, on_delete=models.CASCADE, related_name="evenements"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    cree_le = models.DateTimeField(default=timezone.now)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Shown on the public page (status changes, public replies, re-routing).
    public = models.BooleanField(default=False)
    texte = models.TextField(blank=True)
    statut = models.CharField(max_length=20, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["cree_le", "pk"]
        indexes = [models.Index(fields=["signalement", "cree_le"])]

    def __str__(self) -> str:
        return f"{self.kind} ({self.signalement_id})"


class Abonnement(models.Model):
    """Someone who receives a report's updates by email: its reporter or a « moi aussi »."""

    signalement = models.ForeignKey(
        Signalement, on_delete=models.CASCADE, related_name="abonnements"
    )
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    auteur = models.BooleanField(default=False)
    # For the unsubscribe link (and the confirmation link of an anonymous « moi aussi »).
    jeton = models.CharField(max_length=43, unique=True)
    confirme_le = models.DateTimeField(null=True, blank=True)
    desabonne_le = models.DateTimeField(null=True, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signalement", "email"], name="abonnement_unique")
        ]

    def __str__(self) -> str:
        return f"abonnement {self.pk} de {self.signalement_id}"


class Envoi(models.Model):
    """A message a change of the report had to send, and the outbox message that carries it."""

    class Destinataire(models.TextChoices):
        SERVICE = "service", _("Service compétent")
        MAIRIE = "mairie", _("Mairie non membre")
        CITOYEN = "citoyen", _("Auteur ou abonné")

    signalement = models.ForeignKey(Signalement, on_delete=models.CASCADE, related_name="envois")
    message = models.ForeignKey("core.OutboxMessage", on_delete=models.PROTECT, related_name="+")
    destinataire = models.CharField(max_length=10, choices=Destinataire.choices)
    objet = models.CharField(max_length=200)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.destinataire}: {self.objet}"
