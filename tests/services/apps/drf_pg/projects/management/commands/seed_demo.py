from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from projects.models import Project, Task


class Command(BaseCommand):
    help = "Create a demo user with one project and two tasks (idempotent)."

    def handle(self, *args, **options):
        user, created = get_user_model().objects.get_or_create(
            username="demo", defaults={"email": "demo@example.com"}
        )
        if created:
            user.set_password("demo-passphrase-2024")
            user.save()
        project, _ = Project.objects.get_or_create(owner=user, name="Demo project")
        for title in ("Read the README", "Try the API"):
            Task.objects.get_or_create(owner=user, project=project, title=title)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
