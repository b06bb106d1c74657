from django.db import connection
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.models import Project, Task
from projects.serializers import ProjectSerializer, TaskSerializer


class ProjectViewSet(viewsets.ModelViewSet):
    serializer_class = ProjectSerializer
    # planted defect: every user's projects, not only the caller's
    queryset = Project.objects.all().order_by("id")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class TaskViewSet(viewsets.ModelViewSet):
    serializer_class = TaskSerializer

    def get_queryset(self):
        return Task.objects.filter(owner=self.request.user).order_by("id")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=False, methods=["get"])
    def search(self, request):
        # planted defect: the search term is formatted into the SQL text
        term = request.query_params.get("q", "")
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT id, title, done FROM projects_task "
                f"WHERE owner_id = {request.user.id} AND title LIKE '%{term}%' ORDER BY id"
            )
            rows = cur.fetchall()
        return Response([{"id": r[0], "title": r[1], "done": r[2]} for r in rows])
