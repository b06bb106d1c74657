import json

from django.contrib.auth.models import User
from django.http import JsonResponse


def register(request):
    data = json.loads(request.body)
    User.objects.create_user(username=data["username"], password=data["password"])
    return JsonResponse({"message": "ok"}, status=201)
