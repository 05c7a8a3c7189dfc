"""« Mon espace » pages of the citizen's file (URL names `citoyen-site:…`; views.py)."""

urlpatterns: list = []
