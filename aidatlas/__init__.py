"""aidatlas: an open registry of development-cooperation activities in the Western Balkans."""

__version__ = "0.1.0"
