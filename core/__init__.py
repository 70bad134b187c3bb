"""The ground floor: code every app may use and that uses no app (no models of its own)."""
