"""The observatory: actors, projects and what they use, evaluations, roadmaps and maturity.

Everything the structure may tune (evaluation axes and questions, maturity statements,
horizon and discount rate) is rows, edited in the structure's back office, not code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Acteur(models.Model):
    """Someone who carries, takes part in or uses a project: a collectivité, the structure,
    another public body, a company or an association."""

    class Kind(models.TextChoices):
        COLLECTIVITE = "collectivite", _("Collectivité")
        STRUCTURE = "structure", _("Structure de mutualisation")
        PUBLIC = "public", _("Autre organisme public")
        ENTREPRISE = "entreprise", _("Entreprise")
        ASSOCIATION = "association", _("Association")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    nom = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    # SIREN (9 digits), SIRET (14), RNA (W + 9 digits): checked by the services.
    siren = models.CharField(max_length=9, blank=True)
    siret = models.CharField(max_length=14, blank=True)
    rna = models.CharField(max_length=10, blank=True)
    # A collectivité of the loaded territory, and the member it is, when they exist.
    collectivite = models.OneToOneField(
        "territoires.Collectivite",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="acteur_observatoire",
    )
    membre = models.OneToOneField(
        "membres.Membre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="acteur_observatoire",
    )
    # Copied from the territory when it is loaded, typed in otherwise (Dunkerque when only the
    # Gironde is loaded): what search facets, "near me" and size comparisons read.
    type_collectivite = models.CharField(max_length=12, blank=True)  # commune, epci, dep, reg
    code_insee = models.CharField(max_length=12, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    departement_code = models.CharField(max_length=3, blank=True)
    region_code = models.CharField(max_length=3, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    site_web = models.URLField(max_length=500, blank=True)
    # A generic address (accueil@…), shown when no contact person consented.
    email = models.EmailField(blank=True)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["nom"]
        indexes = [models.Index(fields=["kind", "nom"], name="obs_acteur_kind_nom")]

    def __str__(self) -> str:
        return self.nom


class Contact(models.Model):
    """A contact person of an actor, shown only while their recorded consent holds."""

    acteur = models.ForeignKey(Acteur, on_delete=models.CASCADE, related_name="contacts")
    # The person's own account, when they have one (they may then consent by themselves).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts_observatoire",
    )
    nom = models.CharField(max_length=200)
    fonction = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    telephone = models.CharField(max_length=30, blank=True)
    # Consent: when asked, when given (and the text shown), when withdrawn.
    consentement_demande_le = models.DateTimeField(null=True, blank=True)
    consentement_le = models.DateTimeField(null=True, blank=True)
    consentement_texte = models.TextField(blank=True)
    consentement_retire_le = models.DateTimeField(null=True, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom

    @property
    def visible(self) -> bool:
        """Tell whether the person's consent to be shown holds now."""
        return self.consentement_le is not None and self.consentement_retire_le is None


class Logiciel(models.Model):
    """A piece of software or a service used by projects (after the SILL and the Comptoir du
    Libre): who uses it and who is its referent."""

    nom = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    editeur = models.CharField(max_length=200, blank=True)
    site_web = models.URLField(max_length=500, blank=True)
    libre = models.BooleanField(default=False)
    licence = models.CharField(max_length=80, blank=True)
    # The State's Socle interministériel de logiciels libres id, the Comptoir du Libre page.
    sill_id = models.CharField(max_length=20, blank=True)
    comptoir_url = models.URLField(max_length=500, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class LogicielUsage(models.Model):
    """An actor uses a piece of software, and may be its referent (the one to ask)."""

    logiciel = models.ForeignKey(Logiciel, on_delete=models.CASCADE, related_name="usages")
    acteur = models.ForeignKey(Acteur, on_delete=models.CASCADE, related_name="usages")
    referent = models.BooleanField(default=False)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    depuis = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["logiciel", "acteur"], name="obs_usage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.acteur} – {self.logiciel}"


class Projet(models.Model):
    """A project or action: what, who, when, how much, with what, and what was learnt."""

    class Statut(models.TextChoices):
        IDEE = "idee", _("Idée")
        EN_PROJET = "en_projet", _("En projet")
        EN_COURS = "en_cours", _("En cours")
        REALISE = "realise", _("Réalisé")
        ABANDONNE = "abandonne", _("Abandonné")

    class Etat(models.TextChoices):
        """Where the page stands in the structure's review before publication."""

        BROUILLON = "brouillon", _("Brouillon")
        SOUMIS = "soumis", _("Soumis à relecture")
        A_CORRIGER = "a_corriger", _("À corriger")
        PUBLIE = "publie", _("Publié")
        RETIRE = "retire", _("Retiré")

    slug = models.SlugField(max_length=90, unique=True)
    titre = models.CharField(max_length=200)
    resume = models.CharField(max_length=500, blank=True)
    # Markdown, rendered through socle.core.markdown (nh3) when shown.
    description = models.TextField(blank=True)
    # Codes of socle.observatoire.themes (the national baromètre's ten themes).
    themes = models.JSONField(default=list, blank=True)
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.IDEE)
    date_debut = models.DateField(null=True, blank=True)
    date_fin = models.DateField(null=True, blank=True)
    # Budget in euros: investment, running costs per year, and funding [{source, montant}].
    budget_investissement = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_fonctionnement = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    financements = models.JSONField(default=list, blank=True)
    # Skills the project needed ("marchés publics", "SIG", "animation de réseau"…).
    savoir_faire = models.JSONField(default=list, blank=True)
    resultats = models.TextField(blank=True)
    enseignements = models.TextField(blank=True)
    # Reusability: open source code, shareable specifications, and where to find them.
    open_source = models.BooleanField(default=False)
    specifications_partageables = models.BooleanField(default=False)
    reutilisation = models.TextField(blank=True)
    depot_code = models.URLField(max_length=500, blank=True)
    site_web = models.URLField(max_length=500, blank=True)
    porteur = models.ForeignKey(
        Acteur, null=True, blank=True, on_delete=models.SET_NULL, related_name="projets_portes"
    )
    logiciels = models.ManyToManyField(Logiciel, blank=True, related_name="projets")
    # The member whose staff contributes it (None: the structure's own page).
    membre = models.ForeignKey(
        "membres.Membre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projets_observatoire",
    )
    # Follow-up: progress in percent (milestones and indicators are rows).
    avancement = models.PositiveSmallIntegerField(default=0)
    etat = models.CharField(max_length=10, choices=Etat.choices, default=Etat.BROUILLON)
    soumis_le = models.DateTimeField(null=True, blank=True)
    publie_le = models.DateTimeField(null=True, blank=True)
    relu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commentaire_relecture = models.TextField(blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(default=timezone.now)
    # Denormalised from the carrier by the services (search facets, "near me", similarity).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    type_collectivite = models.CharField(max_length=12, blank=True)
    departement_code = models.CharField(max_length=3, blank=True)
    region_code = models.CharField(max_length=3, blank=True)
    # The French search document: accent-free, lower-case, stemmed words (socle.observatoire.text).
    document = models.TextField(blank=True)

    class Meta:
        ordering = ["titre"]
        indexes = [
            models.Index(fields=["etat", "statut"], name="obs_projet_etat_statut"),
            models.Index(fields=["membre", "etat"], name="obs_projet_membre_etat"),
            models.Index(fields=["departement_code"], name="obs_projet_departement"),
        ]

    def __str__(self) -> str:
        return self.titre

    @property
    def publie(self) -> bool:
        return self.etat == self.Etat.PUBLIE


class ProjetActeur(models.Model):
    """An actor's part in a project, other than carrying it."""

    class Role(models.TextChoices):
        CONCERNEE = "concernee", _("Collectivité concernée")
        PARTENAIRE_PUBLIC = "partenaire_public", _("Partenaire public")
        PARTENAIRE_PRIVE = "partenaire_prive", _("Partenaire privé")
        POPULATION = "population", _("Habitants, associations")

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="participations")
    acteur = models.ForeignKey(Acteur, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["projet", "acteur", "role"], name="obs_participation")
        ]

    def __str__(self) -> str:
        return f"{self.acteur} ({self.role})"


class ProjetContact(models.Model):
    """Who to call about a project (shown only while the person's consent holds)."""

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="contacts")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="projets")
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["projet", "contact"], name="obs_projet_contact")
        ]

    def __str__(self) -> str:
        return str(self.contact)


def _document_path(instance: Document, filename: str) -> str:
    return f"observatoire/{instance.projet_id}/{filename}"


class Document(models.Model):
    """A file about a project (specifications, a report…), type and size checked on upload."""

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="documents")
    fichier = models.FileField(upload_to=_document_path, max_length=300)
    nom = models.CharField(max_length=200)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField()
    # Shown on the public page once the project is published (else only to its contributors).
    public = models.BooleanField(default=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cree_le"]

    def __str__(self) -> str:
        return self.nom


class Revision(models.Model):
    """A change to a project: applied at once, or (on a published page, by a contributor)
    waiting for the structure's review."""

    class Etat(models.TextChoices):
        APPLIQUEE = "appliquee", _("Appliquée")
        EN_ATTENTE = "en_attente", _("En attente de relecture")
        REFUSEE = "refusee", _("Refusée")

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="revisions")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)
    # What happened ("creation", "modification", "soumission", "publication", "retrait"…).
    action = models.CharField(max_length=30)
    etat = models.CharField(max_length=10, choices=Etat.choices, default=Etat.APPLIQUEE)
    # {field: {"avant": …, "apres": …}} (JSON-ready values).
    changements = models.JSONField(default=dict, blank=True)
    commentaire = models.TextField(blank=True)
    relue_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    relue_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.cree_le:%d/%m/%Y})"


class Jalon(models.Model):
    """A milestone of a project: planned, then reached."""

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="jalons")
    titre = models.CharField(max_length=200)
    date_prevue = models.DateField(null=True, blank=True)
    date_reelle = models.DateField(null=True, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "date_prevue", "pk"]

    def __str__(self) -> str:
        return self.titre


class Indicateur(models.Model):
    """An indicator of a project: the target planned and the value achieved."""

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="indicateurs")
    nom = models.CharField(max_length=200)
    unite = models.CharField(max_length=40, blank=True)
    cible = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    realise = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    date_mesure = models.DateField(null=True, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.nom


# --- Evaluation (configuration, then evaluations) ----------------------------------------------


class ReglagesObservatoire(models.Model):
    """The structure's settings of the observatory (one row): the financial axis' horizon and
    discount rate."""

    horizon_annees = models.PositiveSmallIntegerField(default=5)
    # Percent per year. 4.5 % follows the Quinet report (2013) used for public investments.
    taux_actualisation = models.DecimalField(max_digits=5, decimal_places=2, default=4.5)
    modifie_le = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Réglages de l’observatoire"


class EvalAxe(models.Model):
    """An axis of the value analysis (nécessité, maîtrise des risques…) and its weight."""

    code = models.SlugField(max_length=40, unique=True)
    nom = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    poids = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    # The financial axis is scored from the net present value, not from questions.
    financier = models.BooleanField(default=False)
    ordre = models.PositiveSmallIntegerField(default=0)
    actif = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.nom


class EvalQuestion(models.Model):
    """A closed question of an axis, with its weight in the axis."""

    axe = models.ForeignKey(EvalAxe, on_delete=models.CASCADE, related_name="questions")
    texte = models.CharField(max_length=500)
    aide = models.TextField(blank=True)
    poids = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    ordre = models.PositiveSmallIntegerField(default=0)
    actif = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.texte


class EvalChoix(models.Model):
    """An answer to a question and the points it is worth (0 to 4)."""

    question = models.ForeignKey(EvalQuestion, on_delete=models.CASCADE, related_name="choix")
    libelle = models.CharField(max_length=300)
    points = models.DecimalField(max_digits=4, decimal_places=2)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.libelle


class Evaluation(models.Model):
    """A project's value analysis: ex ante (before), or ex post (after, on the same axes)."""

    class Kind(models.TextChoices):
        EX_ANTE = "ex_ante", _("Évaluation ex ante")
        EX_POST = "ex_post", _("Évaluation ex post")

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # {question id (str): choice id}
    reponses = models.JSONField(default=dict, blank=True)
    # Yearly flows in euros, year 0 first: [{"couts": …, "gains": …}, …] (horizon entries).
    flux = models.JSONField(default=list, blank=True)
    horizon_annees = models.PositiveSmallIntegerField()
    taux_actualisation = models.DecimalField(max_digits=5, decimal_places=2)
    # What the scoring computed, with the configuration it read (axes' names and weights), so an
    # evaluation reads the same after the configuration changed:
    # {"axes": [{code, nom, poids, score, note}], "score": …, "note": …, "van": …,
    #  "delai_retour": …}
    resultat = models.JSONField(default=dict, blank=True)
    commentaire = models.TextField(blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["projet", "kind"], name="obs_evaluation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.projet} – {self.get_kind_display()}"


# --- Roadmaps ----------------------------------------------------------------------------------


class FeuilleDeRoute(models.Model):
    """A member's digital roadmap, as it is being revised (adopted versions are kept apart)."""

    membre = models.OneToOneField(
        "membres.Membre", on_delete=models.CASCADE, related_name="feuille_de_route"
    )
    ambition = models.TextField(blank=True)
    modifie_le = models.DateTimeField(default=timezone.now)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Feuille de route – {self.membre}"


class FeuilleAxe(models.Model):
    """An axis of a roadmap and the projects under it."""

    feuille = models.ForeignKey(FeuilleDeRoute, on_delete=models.CASCADE, related_name="axes")
    titre = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    themes = models.JSONField(default=list, blank=True)
    projets = models.ManyToManyField(Projet, blank=True, related_name="axes_feuilles")
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.titre


class FeuilleJalon(models.Model):
    """A milestone of a roadmap."""

    feuille = models.ForeignKey(FeuilleDeRoute, on_delete=models.CASCADE, related_name="jalons")
    titre = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)
    atteint = models.BooleanField(default=False)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["date", "ordre", "pk"]

    def __str__(self) -> str:
        return self.titre


class FeuilleVersion(models.Model):
    """An adopted version of a roadmap, kept as it was (a snapshot)."""

    feuille = models.ForeignKey(FeuilleDeRoute, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveIntegerField()
    adoptee_le = models.DateTimeField(default=timezone.now)
    adoptee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The deliberation or the body that adopted it ("Conseil municipal du 12 mars 2026").
    instance = models.CharField(max_length=300, blank=True)
    # {"ambition": …, "axes": [{titre, description, themes, projets: [{id, titre, statut,
    #  logiciels}]}], "jalons": [{titre, date, atteint}]}
    contenu = models.JSONField(default=dict)

    class Meta:
        ordering = ["-numero"]
        constraints = [
            models.UniqueConstraint(fields=["feuille", "numero"], name="obs_feuille_version")
        ]

    def __str__(self) -> str:
        return f"{self.feuille} v{self.numero}"


# --- Maturity diagnostic -----------------------------------------------------------------------


class MaturiteEnonce(models.Model):
    """A statement of the maturity questionnaire, under one of the ten themes; a collectivité
    places itself on it from level 0 to 5."""

    theme = models.CharField(max_length=30)
    texte = models.CharField(max_length=500)
    aide = models.TextField(blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)
    actif = models.BooleanField(default=True)

    class Meta:
        ordering = ["theme", "ordre", "pk"]

    def __str__(self) -> str:
        return self.texte


class Diagnostic(models.Model):
    """A member's maturity diagnostic: its answers and the level per theme they give."""

    membre = models.ForeignKey(
        "membres.Membre", on_delete=models.CASCADE, related_name="diagnostics_maturite"
    )
    # {statement id (str): level 0..5}
    reponses = models.JSONField(default=dict)
    # {theme code: mean level (float, one decimal)}
    niveaux = models.JSONField(default=dict)
    # The comparison group it belongs to, fixed when it was made (kind and size band).
    type_collectivite = models.CharField(max_length=12, blank=True)
    tranche = models.CharField(max_length=20, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        indexes = [models.Index(fields=["membre", "-cree_le"], name="obs_diagnostic_membre")]

    def __str__(self) -> str:
        return f"Diagnostic – {self.membre} ({self.cree_le:%d/%m/%Y})"
