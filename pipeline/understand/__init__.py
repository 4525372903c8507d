"""Understanding what was read: a batch split into documents, each classified (rules and a calibrated
model) and its metadata extracted; reviewers' corrections feed the extractor and retraining."""
