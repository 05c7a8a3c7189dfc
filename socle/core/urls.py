from django.urls import path

from socle.core import views

app_name = "kit"

urlpatterns = [
    path("", views.kit, name="kit"),
]
