"""The bundled default classifier model (classifier.joblib), rebuilt by `sohoa train --from-scratch`."""
