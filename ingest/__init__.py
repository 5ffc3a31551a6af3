"""Ingestion: load corpus documents, split them by heading, embed the new pieces and sync the store."""
