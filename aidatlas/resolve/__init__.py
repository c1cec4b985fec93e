"""Entity resolution: organisations (signatures, blocking, scoring, clustering, the registry's merges) and
activities (de-duplication across sources), and the after-write stages that run them when the store saves.

Import the modules directly: `from aidatlas.resolve.matcher import OrgMatcher, cluster`.
"""
