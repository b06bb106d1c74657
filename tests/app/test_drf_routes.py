"""Django REST Framework projects read statically: routers, viewsets, class views, and the API
model built from them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from harness.apimodel._discover import derive_resources, ops_from_routes
from harness.apimodel._model import ApiModel
from harness.app import detect_app

SETTINGS = 'ROOT_URLCONF = "shop.urls"\nDATABASES = {}\n'
MANAGE = (
    "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
    "from django.core.management import execute_from_command_line\n"
)


def make_repo(root: Path, files: dict[str, str]) -> Path:
    base = {
        "requirements.txt": "Django==5.0\ndjangorestframework\n",
        "manage.py": MANAGE,
        "shop/__init__.py": "",
        "shop/settings.py": SETTINGS,
        "catalog/__init__.py": "",
    }
    for rel, content in {**base, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip())
    return root


VIEWS = """
    from rest_framework import generics, mixins, viewsets
    from rest_framework.decorators import action
    from rest_framework.views import APIView
    from catalog.serializers import ProductSerializer, ReviewSerializer

    class ProductViewSet(viewsets.ModelViewSet):
        serializer_class = ProductSerializer
        lookup_field = "slug"

        @action(detail=True, methods=["post"], url_path="publish")
        def make_public(self, request, slug=None):
            ...

        @action(detail=False)
        def featured(self, request):
            ...

    class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
        pass

    class OwnedMixin:
        pass

    class ReviewViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, OwnedMixin,
                        viewsets.GenericViewSet):
        serializer_class = ReviewSerializer

    class TagViewSet(viewsets.ViewSet):
        def list(self, request):
            ...

        def destroy(self, request, pk=None):
            ...

    class SignupView(generics.CreateAPIView):
        serializer_class = ReviewSerializer

    class StatsView(APIView):
        def get(self, request):
            ...
"""

SERIALIZERS = """
    from rest_framework import serializers

    class ProductSerializer(serializers.ModelSerializer):
        price_cents = serializers.IntegerField(min_value=0)
        owner = serializers.PrimaryKeyRelatedField(read_only=True)

        class Meta:
            model = Product
            fields = ["id", "name", "slug", "price_cents", "owner", "created_at"]
            read_only_fields = ["created_at"]
            extra_kwargs = {"slug": {"read_only": True}}

    class ReviewSerializer(serializers.ModelSerializer):
        class Meta:
            model = Review
            fields = "__all__"
"""


def test_router_routes_carry_prefix_methods_actions_and_fields(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "shop/urls.py": """
                from django.urls import include, path
                from rest_framework import routers
                from catalog import views

                router = routers.DefaultRouter()
                router.register(r"products", views.ProductViewSet, basename="product")
                router.register("categories", views.CategoryViewSet)
                flat = routers.SimpleRouter(trailing_slash=False)
                flat.register(r"reviews", views.ReviewViewSet, basename="review")
                flat.register(r"tags", views.TagViewSet, basename="tag")
                flat.register(r"vendors", ExternalViewSet, basename="vendor")

                urlpatterns = [
                    path("api/v1/", include(router.urls)),
                    path("api/flat/", include((flat.urls, "flat"))),
                    path("api/signup/", views.SignupView.as_view()),
                    path("api/stats/", views.StatsView.as_view()),
                ]
            """,
            "catalog/views.py": VIEWS,
            "catalog/serializers.py": SERIALIZERS,
        },
    )
    routes = {(r.method, r.path): r for r in detect_app(repo).routes}
    product = {m for m, p in routes if p.startswith("/api/v1/products")}
    assert {("GET", "/api/v1/products/"), ("POST", "/api/v1/products/")} <= set(routes)
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} == product
    assert ("DELETE", "/api/v1/products/{slug}/") in routes  # lookup_field
    assert ("POST", "/api/v1/products/{slug}/publish/") in routes  # @action detail, url_path
    assert ("GET", "/api/v1/products/featured/") in routes  # @action, list level, GET default
    assert routes[("POST", "/api/v1/products/")].body_fields == ["name", "price_cents"]
    assert routes[("POST", "/api/v1/products/")].file == "catalog/views.py"
    categories = {(m, p) for m, p in routes if "categories" in p}
    assert categories == {("GET", "/api/v1/categories/"), ("GET", "/api/v1/categories/{pk}/")}
    # mixins, a repo base class, no trailing slash
    reviews = {(m, p) for m, p in routes if "reviews" in p}
    assert reviews == {("GET", "/api/flat/reviews"), ("POST", "/api/flat/reviews")}
    tags = {(m, p) for m, p in routes if "tags" in p}
    assert tags == {("GET", "/api/flat/tags"), ("DELETE", "/api/flat/tags/{pk}")}
    # a viewset that is not in the repo: both routes, methods unknown
    assert ("ANY", "/api/flat/vendors") in routes and ("ANY", "/api/flat/vendors/{pk}") in routes
    # class views by their generic base or their handler methods
    assert ("POST", "/api/signup/") in routes and ("GET", "/api/signup/") not in routes
    assert ("GET", "/api/stats/") in routes


def test_drf_paths_keep_their_slash_and_group_into_one_resource(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "shop/urls.py": """
                from django.urls import include, path
                urlpatterns = [path("api/", include("catalog.urls"))]
            """,
            "catalog/urls.py": """
                from django.urls import include, path
                from rest_framework.routers import DefaultRouter
                from catalog.views import ProductViewSet
                router = DefaultRouter()
                router.register(r"products", ProductViewSet, basename="product")
                urlpatterns = [path("", include(router.urls))]
            """,
            "catalog/views.py": VIEWS,
            "catalog/serializers.py": SERIALIZERS,
        },
    )
    profile = detect_app(repo)
    api = ApiModel(source="static-routes", operations=ops_from_routes(profile))
    assert {op.path for op in api.operations} >= {"/api/products/", "/api/products/{slug}/"}
    derive_resources(api)
    res = next(r for r in api.resources if r.name == "products")
    assert res.collection_path == "/api/products/"
    assert res.item_path == "/api/products/{slug}/"
    assert set(res.item_methods) == {"GET", "PUT", "PATCH", "DELETE"}
    assert res.create_example is not None and set(res.create_example) == {"name", "price_cents"}


def test_function_views_by_their_decorators(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "shop/urls.py": """
                from django.urls import path
                from rest_framework.authtoken.views import obtain_auth_token
                from catalog import views
                urlpatterns = [
                    path("api/token/", obtain_auth_token),
                    path("api/orders/", views.orders),
                    path("api/ping/", views.ping),
                    path("api/hook/", views.hook),
                    path("api/legacy/", views.legacy),
                ]
            """,
            "catalog/views.py": """
                from django.views.decorators.http import require_POST
                from rest_framework.decorators import api_view

                @api_view(["GET", "POST"])
                def orders(request):
                    sku = request.data.get("sku")
                    ...

                @api_view()
                def ping(request):
                    ...

                @require_POST
                def hook(request):
                    ...

                def legacy(request):
                    ...
            """,
        },
    )
    routes = {(r.method, r.path): r for r in detect_app(repo).routes}
    assert ("POST", "/api/token/") in routes and ("ANY", "/api/token/") not in routes
    assert {m for m, p in routes if p == "/api/orders/"} == {"GET", "POST"}
    orders = routes[("POST", "/api/orders/")]
    assert (orders.file, orders.handler) == ("catalog/views.py", "orders")
    assert "sku" in orders.body_fields  # read from the handler by the Python inputs reader
    assert {m for m, p in routes if p == "/api/ping/"} == {"GET"}
    assert {m for m, p in routes if p == "/api/hook/"} == {"POST"}
    assert {m for m, p in routes if p == "/api/legacy/"} == {"ANY"}
