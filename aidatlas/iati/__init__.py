"""IATI 2.03: streaming writer, streaming reader (2.01–2.03), validator.

    writer.py    Activity records → iati-activities XML (lxml xmlfile, one activity at a time)
    reader.py    iati-activities XML → IatiRecord(activity, extras) (iterparse, cleared as it goes)
    validate.py  XSD per activity + rules → ValidationReport
    rules.py     the checks the schema cannot express (codelists, dates, percentages, budget periods)
    stream.py    the safe, flat-memory iterparse both reader and validator use
    mapping.py   registry concept ↔ IATI codelist item, shared so the round trip agrees
    extras.py    what IATI says that an Activity has no field for (transactions, budget lines, links)

The codelists and the XSD are reference data: `aidatlas.reference.codelists`.

Import the submodules directly; this package imports nothing at import time.
"""
