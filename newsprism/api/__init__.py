"""newsprism.api"""
