"""Create (or reset the secret of) an LRS client from the command line."""

from django.core.management.base import BaseCommand

from xapi.models import Client


class Command(BaseCommand):
    help = "Create an LRS client, or give an existing one (same key) a new secret."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--key", help="default: generated")
        parser.add_argument("--secret", help="default: generated")
        parser.add_argument("--scope", default=Client.Scope.ALL, choices=Client.Scope.values)

    def handle(self, *args, name, key=None, secret=None, scope=Client.Scope.ALL, **options):
        import secrets as random

        key = key or random.token_hex(10)
        client = Client.objects.filter(key=key).first() or Client(key=key)
        client.name = name
        client.scope = scope
        secret = client.set_secret(secret)
        client.save()
        self.stdout.write(f"key: {client.key}\nsecret: {secret}\nscope: {client.scope}")
