"""Package data: gazetteer, organisation aliases, currencies, IATI codelists."""
