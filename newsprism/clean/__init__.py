"""newsprism.clean"""
