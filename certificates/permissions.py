"""Who may watch certificates: this app's own decisions, on the network's role primitives
(network.permissions). Tested with the platform's other permissions as one matrix
(tests/integration/test_permissions.py)."""

from __future__ import annotations

from network.permissions import (
    coordinated_institutions,
)


def can_watch_certificate_expiry(user) -> bool:
    """See the certificates of one's institutions that are about to expire, and enrol their
    holders in a refresher run (coordinators, organisers)."""
    return coordinated_institutions(user).exists()
