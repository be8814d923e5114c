"""newsprism.ingest"""
