"""Evaluation harness: measures answer quality on Dutch question sets (see issue "Evaluation harness")."""
