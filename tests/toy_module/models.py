from django.db import models


class Parcelle(models.Model):
    """A garden plot a member lends."""

    membre = models.ForeignKey("membres.Membre", on_delete=models.CASCADE, related_name="+")
    nom = models.CharField(max_length=100)

    class Meta:
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom
