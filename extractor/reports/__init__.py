"""Reports of a run: an HTML page with the evidence highlighted (`html_report`, `spans`,
`templates/`), CSV rows (`csv_report`), and the stance table across articles (`table`)."""
