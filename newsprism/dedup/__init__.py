"""newsprism.dedup"""
