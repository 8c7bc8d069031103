from django.urls import path

from . import export_views

urlpatterns = [
    path("siklus/<int:pk>/ekspor/", export_views.cycle_exports, name="cycle_exports"),
    path("siklus/<int:pk>/ekspor/<slug:kind>/", export_views.cycle_export, name="cycle_export"),
]
