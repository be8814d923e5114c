"""newsprism.annotate"""
