app_name = "reviews"

# Committee-world pages (meetings, editing reviews) are added here; see recommendations/urls.py
# for the pages that show recommendations.
urlpatterns: list = []
