"""newsprism.store"""
