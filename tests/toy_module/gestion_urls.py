from django.urls import path

from tests.toy_module import views

urlpatterns = [
    path("", views.parcelles, name="parcelles"),
    path("<int:pk>/", views.parcelle, name="parcelle"),
]
