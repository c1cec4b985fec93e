"""Documents in, drafts out: loading (documents, html, pdf), lines, segmentation and extraction."""
