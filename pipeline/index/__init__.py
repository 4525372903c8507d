"""The digitisation index: dossiers and their links, the register, the Decision 766 indicators and
their reports, status counts, Prometheus metrics and stage timings."""
