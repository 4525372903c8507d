"""Reading a file: which pages have a real text layer and which need OCR, the OCR copy turned
upright and deskewed, one tesseract run per page, the seal's signature block read again, and the
searchable PDF (PDF/A-2b where the input allows)."""
