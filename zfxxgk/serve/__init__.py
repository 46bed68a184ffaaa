"""What reads the published warehouse: the Parquet/CSV export (export), the HTML overview (overview) and the summary
printed after a run (summary)."""
