"""URL routes of the mysite project; the first matching pattern wins.

Add an app's routes with ``path("blog/", include("blog.urls"))``.
"""

from djanco.urls import path

from mysite import views

urlpatterns = [
    path("", views.home, name="home"),
]
