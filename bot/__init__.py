"""Koers assistant core: settings, schemas, ports, adapters, retrieval, composition and the HTTP API."""
