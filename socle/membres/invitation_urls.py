from django.urls import path

from socle.membres import views

app_name = "membres"
urlpatterns = [
    path("<str:token>/", views.invitation, name="invitation"),
]
