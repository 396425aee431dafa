"""Languages: catalogues, dates and sentences, Arabic shaping, right-to-left mirroring."""
