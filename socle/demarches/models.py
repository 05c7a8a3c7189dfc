"""Online procedures (démarches): the structure's templates, members' procedures, dossiers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Statuses every workflow has (socle/demarches/workflow.py); an administrator adds others.
BROUILLON = "brouillon"
DEPOSE = "depose"
EN_INSTRUCTION = "en_instruction"
ACCEPTE = "accepte"
REFUSE = "refuse"
SANS_SUITE = "sans_suite"


class Modele(models.Model):
    """A procedure template the structure publishes for its members to adopt and adapt."""

    code = models.SlugField(max_length=80, unique=True)
    titre = models.CharField(max_length=200)
    resume = models.CharField(max_length=300, blank=True)
    # Markdown, shown before the citizen starts.
    description = models.TextField(blank=True)
    competence = models.ForeignKey(
        "territoires.Competence", on_delete=models.PROTECT, related_name="+"
    )
    # The form (socle/demarches/formulaire.py) and the workflow (socle/demarches/workflow.py).
    formulaire = models.JSONField(default=dict)
    workflow = models.JSONField(default=dict)
    retention_mois = models.PositiveIntegerField(default=60)
    # The last published version (0: never published, not offered to members).
    version = models.PositiveIntegerField(default=0)
    publie_le = models.DateTimeField(null=True, blank=True)
    modifie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["titre"]

    def __str__(self) -> str:
        return self.titre


class ModeleVersion(models.Model):
    """A published version of a template, kept so that adopted copies can be updated part by
    part (what a copy did not change since that version follows the template)."""

    modele = models.ForeignKey(Modele, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveIntegerField()
    titre = models.CharField(max_length=200)
    resume = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    formulaire = models.JSONField(default=dict)
    workflow = models.JSONField(default=dict)
    retention_mois = models.PositiveIntegerField(default=60)
    # What changed, in the structure's words, shown to the members who adopted it.
    note = models.TextField(blank=True)
    publie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["modele", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["modele", "numero"], name="modele_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.modele_id} v{self.numero}"


class Demarche(models.Model):
    """A procedure a member offers its citizens, adopted from a template or its own."""

    class Etat(models.TextChoices):
        BROUILLON = "brouillon", _("En préparation")
        PUBLIEE = "publiee", _("Publiée")
        ARCHIVEE = "archivee", _("Fermée")

    membre = models.ForeignKey("membres.Membre", on_delete=models.CASCADE, related_name="demarches")
    slug = models.SlugField(max_length=80)
    titre = models.CharField(max_length=200)
    resume = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    # Routes its dossiers: to the holder of the competence where the citizen lives (the EPCI
    # for an intercommunal one), then to the service that handles it.
    competence = models.ForeignKey(
        "territoires.Competence", on_delete=models.PROTECT, related_name="+"
    )
    # Chosen by the administrator; else the holder's service handling the competence.
    service = models.ForeignKey(
        "membres.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    formulaire = models.JSONField(default=dict)
    workflow = models.JSONField(default=dict)
    # Months a closed dossier is kept before its personal data is erased.
    retention_mois = models.PositiveIntegerField(default=60)
    etat = models.CharField(max_length=10, choices=Etat.choices, default=Etat.BROUILLON)
    # The template and the version of it this copy was last aligned with.
    modele = models.ForeignKey(
        Modele, null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    modele_version = models.PositiveIntegerField(null=True, blank=True)
    # The last published version of this procedure (0: never published).
    version = models.PositiveIntegerField(default=0)
    publiee_le = models.DateTimeField(null=True, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["titre"]
        constraints = [
            models.UniqueConstraint(fields=["membre", "slug"], name="demarche_slug_unique")
        ]

    def __str__(self) -> str:
        return self.titre


class DemarcheVersion(models.Model):
    """A procedure as published: a dossier keeps the form and workflow it was filed with."""

    demarche = models.ForeignKey(Demarche, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveIntegerField()
    titre = models.CharField(max_length=200)
    formulaire = models.JSONField(default=dict)
    workflow = models.JSONField(default=dict)
    publiee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["demarche", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["demarche", "numero"], name="demarche_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.demarche_id} v{self.numero}"


class Dossier(models.Model):
    """A citizen's application to a procedure: a draft, then filed and instructed."""

    reference = models.CharField(max_length=14, unique=True)
    demarche = models.ForeignKey(Demarche, on_delete=models.PROTECT, related_name="dossiers")
    version = models.ForeignKey(DemarcheVersion, on_delete=models.PROTECT, related_name="+")
    # Who instructs it: the procedure's member, or the EPCI member holding the competence.
    membre = models.ForeignKey("membres.Membre", on_delete=models.PROTECT, related_name="dossiers")
    service = models.ForeignKey(
        "membres.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    usager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers_demarches",
    )
    # The applicant's name as filed, for the queue (erased with the rest at anonymisation).
    usager_nom = models.CharField(max_length=200, blank=True)
    # A status code of the version's workflow.
    statut = models.CharField(max_length=40, default=BROUILLON)
    # The answers, by field key (socle/demarches/formulaire.py); a file answer names its
    # PieceJointe.
    donnees = models.JSONField(default=dict, blank=True)
    # Which answers came from the citizen's file (prefilled), by field path.
    preremplis = models.JSONField(default=list, blank=True)
    # The draft's current page.
    page = models.PositiveSmallIntegerField(default=0)
    assigne_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers_assignes",
    )
    # The token of the filing form: a second « Déposer » with it files nothing more.
    jeton_depot = models.CharField(max_length=43, null=True, blank=True, unique=True)
    # The reason given with the last decision (accepted, refused, closed).
    motif = models.TextField(blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(default=timezone.now)
    depose_le = models.DateTimeField(null=True, blank=True)
    decide_le = models.DateTimeField(null=True, blank=True)
    # Past this date (closure + the procedure's retention) its personal data is erased.
    conserver_jusqu_au = models.DateField(null=True, blank=True)
    anonymise_le = models.DateTimeField(null=True, blank=True)
    # When the worker made what filing promised (receipt, mails, webhooks): until then the
    # schedule's sweep queues it again.
    depot_traite_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-depose_le", "-pk"]
        indexes = [
            models.Index(
                fields=["depose_le"],
                condition=models.Q(depose_le__isnull=False, depot_traite_le__isnull=True),
                name="dossier_depot_a_traiter",
            ),
            models.Index(fields=["membre", "statut", "-depose_le"], name="dossier_queue"),
            models.Index(fields=["service", "statut", "-depose_le"], name="dossier_service"),
            models.Index(fields=["demarche", "statut", "-depose_le"], name="dossier_demarche"),
            models.Index(fields=["usager", "-modifie_le"], name="dossier_usager"),
            models.Index(fields=["conserver_jusqu_au"], name="dossier_retention"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def brouillon(self) -> bool:
        """Say whether the citizen has not filed it yet."""
        return self.statut == BROUILLON


class Message(models.Model):
    """A message between the citizen and the agents instructing a dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # True: written by the citizen; False: by an agent (shown as the service, not the person).
    de_usager = models.BooleanField()
    texte = models.TextField(max_length=5000)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cree_le", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.dossier_id})"


class DemandePiece(models.Model):
    """An agent's request for a missing document, answered when the citizen provides it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="demandes")
    libelle = models.CharField(max_length=200)
    explication = models.TextField(max_length=2000, blank=True)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)
    fournie_le = models.DateTimeField(null=True, blank=True)
    annulee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cree_le", "pk"]

    def __str__(self) -> str:
        return self.libelle

    @property
    def en_attente(self) -> bool:
        """Say whether the citizen still has to provide it."""
        return self.fournie_le is None and self.annulee_le is None


class PieceJointe(models.Model):
    """A file of a dossier: the answer to a file field, a message's attachment, or the answer
    to a missing-document request. Stored encrypted (citoyen.FichierChiffre)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pieces_jointes")
    fichier = models.OneToOneField(
        "citoyen.FichierChiffre", on_delete=models.PROTECT, related_name="piece_jointe"
    )
    # The form field's path ("justificatif", "enfants.1.certificat"), or "" for the others.
    champ = models.CharField(max_length=200, blank=True)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="pieces_jointes"
    )
    demande = models.ForeignKey(
        DemandePiece,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pieces_jointes",
    )
    # Attached from the citizen's file (a copy: deleting it there leaves the dossier whole).
    depuis_dossier_citoyen = models.BooleanField(default=False)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cree_le", "pk"]

    def __str__(self) -> str:
        return f"pièce {self.pk} ({self.dossier_id})"


class Evenement(models.Model):
    """One line of a dossier's history."""

    class Kind(models.TextChoices):
        CREE = "cree", _("Brouillon commencé")
        DEPOSE = "depose", _("Dossier déposé")
        STATUT = "statut", _("Statut changé")
        ASSIGNE = "assigne", _("Attribué")
        MESSAGE = "message", _("Message")
        DEMANDE_PIECE = "demande_piece", _("Pièce demandée")
        PIECE_FOURNIE = "piece_fournie", _("Pièce fournie")
        DEMANDE_ANNULEE = "demande_annulee", _("Demande de pièce annulée")
        DOCUMENT = "document", _("Document délivré")
        DOCUMENT_REVOQUE = "document_revoque", _("Document révoqué")
        REORIENTE = "reoriente", _("Réorienté")
        ENVOI_ECHOUE = "envoi_echoue", _("Envoi en échec")
        ANONYMISE = "anonymise", _("Données personnelles effacées")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evenements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Shown to the citizen too (filing, status changes, requests, documents).
    visible_usager = models.BooleanField(default=False)
    statut_avant = models.CharField(max_length=40, blank=True)
    statut_apres = models.CharField(max_length=40, blank=True)
    texte = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cree_le", "pk"]
        indexes = [models.Index(fields=["dossier", "cree_le"])]

    def __str__(self) -> str:
        return f"{self.kind} ({self.dossier_id})"


class Document(models.Model):
    """A PDF issued for a dossier (receipt on filing, attestation on acceptance): signed, with a
    verification code whose public page confirms it without personal data."""

    class Kind(models.TextChoices):
        RECEPISSE = "recepisse", _("Récépissé de dépôt")
        ATTESTATION = "attestation", _("Attestation")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Printed on the document and in its QR code: /verifier/<code>/.
    code = models.CharField(max_length=20, unique=True)
    # What the verification page says (no personal data): title, issuer, date.
    intitule = models.CharField(max_length=300)
    emetteur = models.CharField(max_length=200)
    # None until generated (a task makes it, so filing never waits for PDF rendering).
    fichier = models.OneToOneField(
        "citoyen.FichierChiffre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_demarche",
    )
    # SHA-256 of the signed PDF: the verification page compares an uploaded copy with it.
    sha256 = models.CharField(max_length=64, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    genere_le = models.DateTimeField(null=True, blank=True)
    revoque_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cree_le", "pk"]
        constraints = [
            # One valid document per kind: a revoked one (the decision withdrawn) stays
            # verifiable as revoked beside the one a later decision issues.
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                condition=models.Q(revoque_le__isnull=True),
                name="document_un_valide_par_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"


class Envoi(models.Model):
    """A mail a change of the dossier sent, and the outbox message that carries it."""

    class Destinataire(models.TextChoices):
        USAGER = "usager", _("Usager")
        SERVICE = "service", _("Service instructeur")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="envois")
    message = models.ForeignKey("core.OutboxMessage", on_delete=models.PROTECT, related_name="+")
    destinataire = models.CharField(max_length=10, choices=Destinataire.choices)
    objet = models.CharField(max_length=200)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.destinataire}: {self.objet}"


class Webhook(models.Model):
    """An address of a member's business software told of its dossiers' changes (signed POST)."""

    membre = models.ForeignKey("membres.Membre", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    # HMAC-SHA256 key, encrypted at rest (comptes.totp.secret_encrypt).
    secret = models.TextField()
    # Event names (socle/demarches/webhooks.py); empty: all.
    evenements = models.JSONField(default=list, blank=True)
    actif = models.BooleanField(default=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class Livraison(models.Model):
    """One event to deliver to a webhook, retried with a growing delay until it is accepted."""

    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente")
        LIVREE = "livree", _("Livrée")
        ECHEC = "echec", _("Abandonnée")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="livraisons")
    # A stable identifier the receiver uses to ignore a repeated delivery.
    uid = models.CharField(max_length=36, unique=True)
    evenement = models.CharField(max_length=40)
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(default=dict)
    etat = models.CharField(max_length=12, choices=Etat.choices, default=Etat.EN_ATTENTE)
    tentatives = models.PositiveSmallIntegerField(default=0)
    prochain_essai = models.DateTimeField(default=timezone.now)
    derniere_reponse = models.PositiveSmallIntegerField(null=True, blank=True)
    derniere_erreur = models.CharField(max_length=300, blank=True)
    # Every attempt: [{"le": ISO datetime, "reponse": HTTP status or null, "erreur": "…"}].
    essais = models.JSONField(default=list, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    livree_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        indexes = [models.Index(fields=["etat", "prochain_essai"], name="livraison_a_faire")]

    def __str__(self) -> str:
        return f"{self.evenement} → {self.webhook_id}"
