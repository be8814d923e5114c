"""newsprism.compare"""
