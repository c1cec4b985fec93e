"""Entity resolution for organisations: signatures, pairwise rules, blocking matcher, clustering.

Kept import-free on purpose: `aidatlas.normalize.orgs` reads the vocabulary in `aidatlas.resolve.vocab`,
and `aidatlas.resolve.matcher` reads `aidatlas.normalize.orgs`; an eager import here would make a cycle.
Import the modules directly: `from aidatlas.resolve.matcher import OrgMatcher, cluster`.
"""
