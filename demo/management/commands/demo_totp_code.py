"""Print the current authenticator code of the demo staff logins."""

import time

from django.core.management.base import BaseCommand

from demo.dataset import load
from network.auth import totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff logins (valid for 30 seconds)."

    def handle(self, *args, **options):
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{totp_code(load().totp_secret)}  (valid for {left} more seconds)")
