"""newsprism.brief"""
