"""The programme: fetching feeds, parsing and expanding them, today's rows, opening hours, freshness."""
