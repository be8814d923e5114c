"""newsprism.stories"""
