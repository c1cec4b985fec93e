"""Curation: editors correct and complete stored activities (an overlay, see `aidatlas.db.edits`), review
what needs them (`work.py`), answer the public's error reports (`reports.py`) and use personal API tokens
(`tokens.py`). Library code; the web pages are `aidatlas.web.edit`, `aidatlas.web.work`, `aidatlas.web.tokens`.
"""
