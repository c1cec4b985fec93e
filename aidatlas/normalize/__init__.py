"""Pure normalization functions: no I/O, no database. Text in, values out."""
