from django.urls import path

from tests.toy_module import views

urlpatterns = [path("<slug:slug>/parcelles", views.api_parcelles, name="parcelles")]
