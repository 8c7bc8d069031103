from django.urls import path

from . import peer_views

urlpatterns = [
    path("umpan-balik-rekan/", peer_views.peer_list, name="peer_list"),
    path("umpan-balik-rekan/formulir/<int:pk>/", peer_views.peer_form, name="peer_form"),
    path(
        "umpan-balik-rekan/penilaian/<int:pk>/",
        peer_views.peer_nomination,
        name="peer_nomination",
    ),
    path("umpan-balik-rekan/siklus/<int:pk>/bagikan/", peer_views.peer_assign, name="peer_assign"),
]
